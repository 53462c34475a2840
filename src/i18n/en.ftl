# Huzhu web client: English, the second language. Every message here has
# its twin in zh-CN.ftl (a unit test checks).

app-name = Huzhu ledger
switch-lang = 中文
date = { $day } { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
} { $year }
wan = × 10,000 yuan

## Sign-in and session
sign-in = Sign in
sign-in-title = Sign in to Huzhu
token-label = Token
token-hint = Paste the token your administrator gave you, or upload its file.
token-file = Token file
sign-out = Sign out
signed-in-as = { $role } ({ $scope })
signed-out = You have signed out.
token-refused = The token is not valid or was revoked; ask your administrator for a new one.
token-missing = Paste a token or upload its file.

## Roles
role-admin = Administrator
role-fund_clerk = Fund clerk
role-fund_treasurer = Fund treasurer
role-federation_treasurer = Federation treasurer
role-bank = Bank
role-regulator = Regulator

## Navigation
nav-overview = Overview
nav-members = Members
nav-approvals = Approvals
nav-dashboard = Member funds
nav-books = Books
no-pages = This role has no pages yet; keep using the command line.

## Errors
error-title = Not done
csrf-refused = The form is no longer valid (its security check failed); go back, reopen the page and submit again.
forbidden = Your token may not see this page.
not-found = There is no such page.
server-unreachable = The ledger service cannot be reached; try again later.
back = Back

## Fund overview
overview-title = { $fund }: overview
as-of = As of { $date }
capital-by-source = Capital by source
source-fiscal = Fiscal support
source-special = Special poverty-alleviation support
source-donation = Donations
own-shares = Members' own shares
allocated-shares = Allocated shares
capital-total = Total capital
cash = Cash
bank = Bank
portfolio = Loans outstanding
loans-outstanding = Loans open
par30 = Portfolio at risk (PAR30)
reserves = Reserves
welfare-fund = Welfare fund
accumulation-reserve = Accumulation reserve
risk-reserve = Risk reserve
due-this-month = Due this month
due-installments = { $count } installments, in all
active-members = Active members

## Members
members-title = Members
search = Find by name or id
search-button = Find
member-id = Id
member-name = Name
household = Household
status = Status
joined = Joined
left = Left
members-none = No member matches.
members-count = { $count } members

## Household status
flag-registered_poor = Registered poor
flag-low_income = Low income
flag-dibao = Dibao (minimum living allowance)
flag-wubao = Wubao (five guarantees)
flag-monitored = Monitored
flag-unstable_after_exit = Unstable after exit
flag-none = Ordinary

## Collection sheet
nav-collection = Collection sheet
collection-title = Collection sheet
collection-date = Collection day
collection-show = Show
collection-of = Due on { $date }
collection-none = Nothing falls due or is overdue on this day.
installment = Installment
installment-no = No. { $no }
overdue = Overdue
due = Due that day
penalty = Penalty
collect = To collect
days-past-due = Days past due
paid = Paid
no-group = In no guarantee group
group-name = Guarantee group { $group }
subtotal = Subtotal
sheet-total = Total
till = Paid in
till-cash = Cash
till-bank = Bank
collection-submit = Record the payments
collection-hint = Enter only what was received; an empty line records nothing. Each line is recorded on its own: a refused line leaves the others standing.
collection-summary = { $posted } recorded, { $refused } refused.
result = Result
outcome-posted = Recorded
outcome-replayed = Recorded (submitted again, not recorded twice)
outcome-refused = Refused: 

## Public notice
nav-notice = Public notice
notice-title = { $fund }: accounts for { $year }, for the noticeboard
notice-year = Year
print = Print
balances-at = Balances on { $date }
assets = Assets
assets-total = Total assets
liabilities = Liabilities
liabilities-total = Total liabilities
equity = Capital and reserves
equity-total = Total capital and reserves
year-flows = Income and expenses of { $year }
income = Income
income-total = Total income
expense = Expenses
expense-total = Total expenses
net-result = The year's result: 
loans-at = Loans outstanding on { $date }
outstanding = Outstanding
maturity = Maturity
standing = Repayment
on-time = On time
overdue-days = { $days } days overdue
loans-count = { $count } loans
notice-footer = Posted on the village noticeboard for at least seven days. Members with questions may ask the fund's supervisory board.
sign-chair = Chair:
sign-supervisor = Supervisory board:
sign-treasurer = Treasurer:
notice-date = Posted on { $date }
account-fund-1001 = Cash on hand
account-fund-1002 = Bank deposit
account-fund-1201 = Loans to members (principal)
account-fund-1202 = Occupancy fee receivable
account-fund-1203 = Subsidy receivable
account-fund-1301 = Placed with the federation
account-fund-1302 = Balancing fees receivable from the federation
account-fund-2101 = Borrowed from the federation
account-fund-2102 = Balancing fees payable to the federation
account-fund-2201 = Payables (dividends included)
account-fund-3001 = Seed capital (fiscal and special)
account-fund-3002 = Members' shares
account-fund-3003 = Allocated shares
account-fund-3004 = Donations
account-fund-3101 = Welfare fund
account-fund-3102 = Accumulation reserve
account-fund-3103 = Risk reserve
account-fund-3201 = Undistributed surplus
account-fund-result = The year's result (not yet shared out)
account-fund-4001 = Occupancy fee income
account-fund-4002 = Deposit interest
account-fund-4003 = Other income
account-fund-5001 = Management expenses
account-fund-5002 = Loan losses
account-fund-5003 = Balancing fees paid

## Loan ledger
ledger-loans = Loans outstanding
nav-loans = Loan ledger
ledger-title = Loan ledger
as-of-date = As of
par90 = PAR90
by-bucket = By days past due
bucket = Bucket
bucket-current = Current
bucket-1-30 = 1-30 days late
bucket-31-60 = 31-60 days late
bucket-61-90 = 61-90 days late
bucket-90 = Over 90 days late
fee-due = Fee due
restructured = Rescheduled

## Approvals
approvals-title = Loans awaiting approval
loan-id = Loan
borrower = Borrower
principal = Amount
term = Term
term-months = { $months } months
applied-on = Applied on
applied-by = Taken by
purpose = Purpose
board-approved = Board approved
approve = Approve
approvals-none = No loan awaits approval.
approved = Loan { $loan } is approved.

## Member page
member-title = Member { $name }
birth-date = Born
guarantee-group = Guarantee group
status-history = Status history
date-label = Date
risk-cause = Cause
member-loans = Loans
member-no-loans = This member has no loan yet.
loan-status = Status
disbursed-on = Disbursed
next-due = Next installment
apply-for-member = Apply for a loan for this member
loan-status-applied = Applied
loan-status-approved = Approved, to disburse
loan-status-disbursed = Outstanding
loan-status-closed = Repaid
loan-status-written_off = Written off
loan-status-rescheduled = Rescheduled
loan-status-unknown = Unknown

## Loan application
nav-apply = Apply
apply-title = Loan application
term-label = Term (months)
method = Repayment
method-equal_principal = Equal principal
method-equal_installments = Equal installments
method-fee_monthly = Fee monthly, principal at maturity
method-bullet = All at maturity
purpose-category = Industry
purpose-crops = Crops
purpose-livestock = Livestock
purpose-processing = Processing
purpose-trade = Trade
purpose-services = Services
purpose-other = Other
business = Business using the money (if any)
apply-submit = Apply
preview-button = Preview the schedule
apply-hint = Another officer approves the application (maker-checker).
preview-title = Schedule preview
preview-none = The schedule shows once the amount, term and date are filled in.
preview-basis = At the fund's fee of { $rate } a year, disbursed on { $date }:
due-date = Due
principal-part = Principal
fee-part = Fee
payment = Payment
outstanding-after = Outstanding after
applied = Loan { $loan } is applied for and awaits approval.

## Disbursement
nav-disburse = Disburse
disburse-title = Loans to disburse
disburse-none = No approved loan awaits disbursement.
disburse-hint = Disbursed today ({ $date }); the schedule runs from the disbursement.
approved-on = Approved on
approved-by = Approved by
disburse = Disburse
disbursed = Loan { $loan } is disbursed.

## Day-end
nav-day-end = Day-end
day-end-title = { $fund } day-end
day-end-through = Day-end run through
day-end-never = Not run yet
day-end-steps = Dates to run
day-end-to = Run through
day-end-nothing = The day-end has run through this day: nothing to run.
day-end-plan = Runs in turn:
day-end-run = Run the day-end
day-end-hint = Each month's end is run on its own, so that each month's fee is booked in that month. Submitting twice books nothing twice; after an interruption, submitting again goes on from where it stopped.
day-end-running = { $count } dates, one after another:
day-end-step = Progress
day-end-loans = Loans accrued
day-end-back = Back to the day-end

## Year-end
nav-year-end = Year-end
year-end-title = Year-end { $year }
dividend-basis = Dividends by
basis-shares = Shares held at the year's end
basis-fees = Fees paid in the year
preview-button-short = Preview
year-end-preview = A preview: nothing is booked yet.
year-end-done = The year-end is done and booked.
year-end-run = Run the year-end
year-end-hint = Every month of the year is then closed; a correction afterwards is booked in the next year.
surplus = Surplus of the year
split = The split
dividends = Dividends
member-dividends = Dividends by member
dividend = Dividend

## Regulator extract
nav-extract = Extracts
extract-title = Regulator extract
extract-scope = Scope
extract-every-book = Every book the token may read
extract-from = From
extract-to = To
extract-make = Make and verify
extract-hint = The same bundle as huzhu extract writes: the chain, the journal, balances, statements and loans, with manifest.json (rows and SHA-256). Check it on your own with huzhu verify-extract or hledger.
extract-verified = Verified: the chain's { $links } links hold, every file's rows and SHA-256 match the manifest, and the balances match the journal.
extract-problems = The check found problems:
extract-download = Download the bundle (ZIP, { $kb } KB)
extract-period = Period
extract-entries = Entries
extract-head = Chain head (seq and hash)
extract-files = Files
extract-file = File
extract-rows = Rows
extract-failed = The bundle could not be made:
extract-again = Another extract

## Federation dashboard
dashboard-title = { $federation }: member funds
fund = Fund
gross-portfolio = Loans outstanding
liquidity = Liquidity
utilization = Utilization
reserve-cover = Reserve cover
alerts-count = { $count } alerts
alert-par30 = PAR30 { $value } is above { $limit }
alert-liquidity = Liquidity { $value } is below { $limit }
alert-poor-share = Poor households' share { $value } is below the fund's minimum { $limit }
alert-quarter = Quarter { $quarter } not closed on time
chart-liquidity = Liquidity by fund
chart-par30-months = PAR30 of the member funds over the last 12 months
month-label = { $month }/{ $year }
trend-link = PAR30 over the last 12 months
trend-title = { $federation }: PAR30 over 12 months
nav-trend = PAR30 trend
month = Month
chart-alert-line = Alert line { $limit }
federation-bank = Federation's bank
placements = Placed with funds
borrowings = Borrowed from funds
relief-pool = Relief pool

## Books (admin)
books-title = Books
book-id = Book
book-name = Name
book-kind = Kind
kind-fund = Village fund
kind-federation = Township federation
kind-program = Risk-compensation program
closed-through = Closed through

## Refusals
refused = Refused
refusal-field = { $field }: { $reason }
field-request_id = Request id
field-fund_id = Fund
field-loan_id = Loan
field-member_id = Member id
field-principal = Amount
field-amount = Amount
field-date = Date
field-term_months = Term
field-token = Token
rule-loan_approver_not_applicant = The applicant may not approve their own loan (maker-checker): another person must approve it.
rule-self_approval = Another person must approve this; nobody approves their own request.
rule-loan_status_allows_it = The loan's status does not allow this.
rule-loan_board_approval_above_threshold = The amount is above the fund's limit: the board must approve it.
rule-loan_at_most_fund_maximum = The amount is above the fund's loan maximum.
rule-first_loan_at_most_fund_maximum = The amount is above the fund's first-loan maximum.
rule-loan_term_at_most_fund_maximum = The term is longer than the fund allows.
rule-loan_household_share_of_capital = The household would owe more than its share of the fund's capital.
rule-borrower_has_no_loan_past_due = The borrower has a loan past due.
rule-borrower_has_no_unrecovered_write_off = The borrower has a written-off loan not recovered.
rule-borrower_in_guarantee_group = The borrower must belong to a guarantee group.
rule-member_active = The borrower is no longer a member.
rule-loan_dates_in_order = The date is before the loan's earlier events.
rule-repayment_at_most_owed = The repayment is more than what is owed.
rule-period_closed = That month is closed: nothing more is posted in it.
rule-account_non_negative = Not enough money in the account.
rule-value_date_not_in_future = The date may not be in the future.
rule-day_end_once_per_date = The day-end has run through this day or later: it runs once per date.
rule-day_end_not_in_future = The day-end runs through today at the latest.
rule-year_end_once_per_year = This year's year-end is done: it runs once a year.
rule-year_end_after_day_end = Run the day-end through December 31 (of a year that is over) before the year-end.
rule-one_federation_per_fund = A fund belongs to one federation at most.
rule-member_fund_of_federation = This fund is not a member of the federation.
rule-remove_without_open_placements = The fund has balancing placements still open: settle them before it leaves.
rule-placement_limit = Over the balancing limit: a fund's placements, and its borrowings, are each at most the rule's share of its capital.
rule-repay_within_outstanding = More than the placement's principal outstanding.
rule-repay_not_before_placement = A repayment may not be dated before the placement.
rule-official_may_not_chair = A township official may not chair the board.
rule-officers_are_farmers = Directors and supervisors are farmers.
rule-officers_are_delegates_of_member_funds = Directors and supervisors are delegates of member funds.
rule-supervisors_not_on_the_board = A supervisor may not also sit on the board.
rule-relief_after_write_off = Relief is for a loan written off and not recovered, up to the loss not recovered.
rule-relief_within_pool = The relief pool does not hold enough for this grant.
rule-grant_pending = This grant is approved already.
rule-contribution_positive = A contribution must be more than zero.
field-grant_id = Grant
field-federation_id = Federation
field-reason = Reason

## Balancing (federation)
nav-balancing = Balancing
balancing-title = { $federation }: surplus and deficit balancing
balancing-rules = A fund's placements with the federation, and its borrowings from it, are each at most { $share } of its capital; placements earn { $rate } a year, borrowings pay { $spread } more.
fund-capital = Capital
balancing-limit = Limit
fund-placed = Placed with the federation
fund-borrowed = Borrowed from it
of-limit = Of the limit
fees-received-paid = Fees received / paid
placements-open = Placements outstanding
placements-none = No placement is outstanding.
placement-id = Placement
placement-direction = Direction
placement-from-fund = Fund placed with the federation
placement-to-fund = Federation lent to the fund
placement-outstanding = Principal outstanding
rate-annual = Annual rate
placed-on = Placed on

## Relief pool (federation)
nav-relief = Relief
relief-title = { $federation }: relief pool
relief-waiting = Grants waiting for approval
relief-none-waiting = No grant is waiting for approval.
relief-ask = Ask for relief
relief-ask-submit = Submit the request
relief-loan = Loan written off
relief-reason = Reason
relief-history = The pool's history
relief-kind = Kind
relief-detail = Detail
relief-by = By
relief-contribution = Contribution
relief-requested = Grant asked for
relief-approved = Grant approved
relief-done-requested = Grant { $grant } is asked for: another actor approves it.
relief-done-approved = Grant { $grant } is approved and paid from the pool.
relief-fixed = A fixed amount
relief-fee-share = { $share } of fee income { $income }
relief-grant-detail = loan { $loan }: { $reason }
grant-id = Grant
amount = Amount
date-column = Date
not-closed = Not closed
rule-leverage_cap = Over the leverage cap: guaranteed exposure may not pass the ratio times the risk fund.
rule-borrower_eligible = The household is not eligible for subsidized microcredit.
rule-borrower_age_limit = The borrower's age is outside the program's limits.
rule-guaranteed_principal_max = More than the program's principal maximum.
rule-guaranteed_term_max = Longer than the program's longest term.
rule-lending_suspended = The default ratio is above the suspension line: the program takes no new guaranteed loan.
rule-claim_threshold = The loan is not yet past due long enough for a claim.
rule-claim_once = Compensation was claimed for this loan already.
rule-claim_needs_guarantee = A loan for a subsidy only has no guarantee to claim.
rule-guaranteed_loan_active = This guaranteed loan is closed or claimed.
rule-recovery_after_claim = A recovery is reported after a claim.
rule-recovery_at_most_loss = More than the loss compensated.

## County program (bank, regulator)
nav-program = Risk fund
program-title = { $program }: risk-compensation fund
program-lending = Lending: default ratio { $ratio }, suspended above { $limit }.
program-suspended = Lending suspended: default ratio { $ratio } is above { $limit }. It resumes when the ratio falls back to the line.
program-fund-balance = Risk fund
program-ratio = Leverage ratio
program-capacity = Capacity
program-exposure = Guaranteed exposure
program-headroom = Headroom
program-leverage = Leverage used
program-default-ratio = Default ratio
program-in-default = In default
program-compensation = Compensation paid
program-recoveries = Recoveries
program-gauge = Exposure against capacity
program-capacity-used = Used
program-capacity-line = Capacity { $capacity }
program-suspend-line = Suspended above { $limit }
chart-default-months = Default ratio, last 12 months
program-loans = Guaranteed loans ({ $count })
household-status = Household
guarantee-state = State
guarantee-active = Current
guarantee-overdue = Past due
guarantee-closed = Repaid
guarantee-claimed = Claimed
subsidy-only = Subsidy only

## Command line
cli-refused = Refused: { $reason }
cli-nothing-recorded = nothing was recorded: { $hint }
cli-retry = the server may or may not have recorded it: run the command again with --request-id { $id }, which never records twice
cli-hint-maker-checker = the token that asked for it cannot approve it: another token must (run the command again with --token-file or $HUZHU_TOKEN of someone else allowed to approve)
cli-hint-correct = correct the input and run the command again
cli-hint-request-id-reused = that request id was used for something else; use a new --request-id
cli-hint-exists = it exists already: give another name or id, or leave it as it is
cli-hint-unauthenticated = the server does not accept this token; check $HUZHU_TOKEN or --token-file
cli-hint-permission = this token's role or scope does not allow it; ask your administrator
cli-hint-exhausted = too many calls or too large a request; wait a moment and run the command again
cli-hint-unreachable = the call did not complete: the server is unreachable or stopping, or refused the connection; check --server, --ca for TLS, and --cert/--key when it requires client certificates (mutual TLS)
cli-relief-pool = relief pool { $pool }
cli-dashboard-head = { $federation } as of { $as_of }
cli-dashboard-money = bank { $bank }  placements { $placements }  borrowings { $borrowings }  seed capital { $seed }  relief pool { $pool }  fee income { $fees }
col-fees = Fees
col-par30 = PAR30
col-par90 = PAR90
col-write-off = Write-off
col-largest = Largest borrower
col-poor = Poor households
cli-already-run = already run
col-loans = Loans
col-fee = Fee
col-member = Member
cli-loan-ledger = loan ledger as of { $date }
cli-position-head = { $fund }: capital { $capital }  limit { $limit } each way
cli-position-money = placed { $placed }  borrowed { $borrowed }  fees received { $received }  fees paid { $paid }
col-no = No.
col-due = Due
col-principal = Principal
col-interest = Interest
col-payment = Payment
col-outstanding = Outstanding after
col-total = Total
program-active-loans = Active loans
program-business-exposure = Used by businesses
program-business-share = Business share
col-period = Period
col-loan-ref = Loan
col-payee = Payee
col-days-current = Days current
col-days-overdue = Days overdue
col-subsidy = Subsidy
col-fee-reduced = Fee reduced
col-refund = Refund
rule-allocated_shares_for_registered_poor = Allocated shares go to the households the rules name (registered poor and the like).
rule-allocated_shares_not_refundable = Allocated shares cannot be refunded or transferred.
rule-entry_balanced_per_book = In each book the debits must equal the credits.
rule-entry_reversed_once = This entry is reversed already: an entry is reversed once.
rule-federation_never_lends_to_households = A federation never lends to households.
rule-guarantee_group_size = A guarantee group has too few or too many households.
rule-leave_after_notice = A member leaves after the notice period.
rule-leave_without_debt = The member still owes on a loan: repay it before leaving.
rule-member_adult = A member is 18 or older.
rule-member_resident = A member lives in the village.
rule-monitored_status_has_risk_cause = A monitored household names its risk cause.
rule-one_guarantee_group_per_member = A household belongs to one guarantee group.
rule-one_member_per_household = A household has one member.
rule-period_already_closed = This month is closed already.
rule-period_not_ended = This month is not over: it cannot be closed yet.
rule-recovery_at_most_written_off = More than the principal written off.
rule-repayment_not_in_accrued_subsidy_period = The repayment is dated in a period whose subsidy is computed: date it after that period.
rule-request_id_same_payload = This request id was used for a different request: use a new one.
rule-reschedule_outstanding_principal = The loan has no principal outstanding to reschedule.
rule-reversal_not_before_original = A reversal may not be dated before its entry.
rule-reversal_not_reversible = This entry cannot be reversed.
rule-shares_in_whole_units = Shares are bought in whole units.
rule-shares_minimum_holding = A member keeps the minimum holding of shares.
rule-status_changes_in_date_order = Status changes are recorded in date order: not before the last one.
rule-subsidy_approver_not_claimant = The one who claimed the subsidy may not approve it: another actor does.
rule-subsidy_borrower_eligible = The household is not eligible for the subsidy.
rule-subsidy_claim_state_allows_it = The period's claim is not in a state that allows this.
rule-subsidy_loan_linked_once = The loan is linked to a scheme already.
rule-subsidy_period_accrued_once = This period's subsidy is computed already.
rule-subsidy_period_matches_settlement = The period does not match how the scheme settles (monthly or quarterly).
rule-subsidy_periods_in_order = Subsidy periods are computed in order.
rule-subsidy_principal_max = More than the scheme's principal maximum.
rule-subsidy_settled_after_period = A period is settled after it ends.
rule-subsidy_term_max = Longer than the scheme's longest term.
rule-write_off_already_requested = A write-off of this loan is asked for already.
rule-write_off_requested_first = A write-off is asked for first, then approved by another actor.
rule-written_off_loan_not_rescheduled = A loan written off cannot be rescheduled.
rule-already_revoked = This token is revoked already.
rule-own_token = A token cannot revoke itself: use another admin token.
rule-token_id_taken = The random token id was taken by chance: run it again.
rule-token_revoked = This token is revoked.
