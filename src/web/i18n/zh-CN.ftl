# 互助 web client: Chinese (zh-CN), the first language. Every message here
# has its twin in en.ftl (a unit test checks).

app-name = 互助资金账本
switch-lang = English
date = { $year }年{ $month }月{ $day }日
wan = 万元

## Sign-in and session
sign-in = 登录
sign-in-title = 登录互助资金账本
token-label = 令牌
token-hint = 粘贴管理员发给您的令牌，或上传令牌文件。
token-file = 令牌文件
sign-out = 退出
signed-in-as = { $role }（{ $scope }）
signed-out = 您已退出。
token-refused = 令牌无效或已被吊销，请向管理员索取新令牌。
token-missing = 请粘贴令牌或上传令牌文件。

## Roles
role-admin = 管理员
role-fund_clerk = 互助社出纳员
role-fund_treasurer = 互助社会计
role-federation_treasurer = 联合会会计
role-bank = 合作银行
role-regulator = 监管部门

## Navigation
nav-overview = 概览
nav-members = 社员
nav-approvals = 待审批
nav-dashboard = 成员互助社
nav-books = 账簿
no-pages = 此角色的页面尚未开放；请继续使用命令行。

## Errors
error-title = 无法完成
csrf-refused = 表单已失效（安全校验未通过），请返回重新打开页面后再提交。
forbidden = 您的令牌无权查看此页面。
not-found = 没有这个页面。
server-unreachable = 无法连接账本服务，请稍后再试。
back = 返回

## Fund overview
overview-title = { $fund } 概览
as-of = 截至 { $date }
capital-by-source = 资金来源
source-fiscal = 财政扶持资金
source-special = 专项扶贫资金
source-donation = 捐赠资金
own-shares = 社员入股金
allocated-shares = 配股金
capital-total = 资金合计
cash = 库存现金
bank = 银行存款
portfolio = 贷款余额
loans-outstanding = 在贷笔数
par30 = 风险贷款率(PAR30)
reserves = 公积公益金
welfare-fund = 公益金
accumulation-reserve = 公积金
risk-reserve = 风险准备金
due-this-month = 本月应收
due-installments = { $count } 期，合计
active-members = 在册社员

## Members
members-title = 社员名册
search = 按姓名或编号查找
search-button = 查找
member-id = 编号
member-name = 姓名
household = 户号
status = 户类别
joined = 入社日期
left = 已退社
members-none = 没有符合条件的社员。
members-count = 共 { $count } 人

## Household status
flag-registered_poor = 建档立卡
flag-low_income = 低收入
flag-dibao = 低保
flag-wubao = 五保
flag-monitored = 监测对象
flag-unstable_after_exit = 脱贫不稳定
flag-none = 一般户

## Collection sheet
nav-collection = 收款单
collection-title = 收款单
collection-date = 收款日期
collection-show = 查看
collection-of = { $date } 应收
collection-none = 这一天没有到期或逾期的还款。
installment = 期次
installment-no = 第 { $no } 期
overdue = 逾期未还
due = 当日到期
penalty = 罚息
collect = 应收合计
days-past-due = 逾期天数
paid = 实收金额
no-group = 未参加联保小组
group-name = 联保小组 { $group }
subtotal = 小计
sheet-total = 全部合计
till = 收款方式
till-cash = 现金
till-bank = 银行
collection-submit = 提交收款
collection-hint = 只填写实际收到的金额；空着的行不记账。每一行单独记账，某一行被拒绝不影响其他行。
collection-summary = 已记账 { $posted } 笔，被拒绝 { $refused } 笔。
result = 结果
outcome-posted = 已记账
outcome-replayed = 已记账（重复提交，没有重复记账）
outcome-refused = 被拒绝：

## Public notice
nav-notice = 账目公示
notice-title = { $fund } { $year }年度账目公示
notice-year = 年度
print = 打印
balances-at = 资产负债（{ $date }）
assets = 资产
assets-total = 资产合计
liabilities = 负债
liabilities-total = 负债合计
equity = 资金及积累
equity-total = 资金及积累合计
year-flows = { $year }年度收支
income = 收入
income-total = 收入合计
expense = 支出
expense-total = 支出合计
net-result = 本年收支结余：
loans-at = 在贷明细（截至 { $date }）
outstanding = 贷款余额
maturity = 到期日
standing = 还款情况
on-time = 正常
overdue-days = 逾期 { $days } 天
loans-count = 共 { $count } 笔
notice-footer = 本公示张贴于村务公开栏，公示期不少于七天。社员如有疑问，请向本社监事会反映。
sign-chair = 理事长签字：
sign-supervisor = 监事长签字：
sign-treasurer = 会计签字：
notice-date = 公示日期：{ $date }
account-fund-1001 = 库存现金
account-fund-1002 = 银行存款
account-fund-1201 = 借出款（本金）
account-fund-1202 = 应收占用费
account-fund-1203 = 应收贴息
account-fund-1301 = 存放联合会调剂资金
account-fund-1302 = 应收联合会调剂费
account-fund-2101 = 向联合会调剂借入
account-fund-2102 = 应付联合会调剂费
account-fund-2201 = 应付款项（含应付股金分红）
account-fund-3001 = 扶持资金（财政、专项）
account-fund-3002 = 社员入股金
account-fund-3003 = 配股金
account-fund-3004 = 捐赠资金
account-fund-3101 = 公益金
account-fund-3102 = 公积金
account-fund-3103 = 风险准备金
account-fund-3201 = 未分配收益
account-fund-result = 本年结余（未分配）
account-fund-4001 = 占用费收入
account-fund-4002 = 存款利息收入
account-fund-4003 = 其他收入
account-fund-5001 = 管理费用
account-fund-5002 = 贷款损失
account-fund-5003 = 调剂费支出

## Loan ledger
ledger-loans = 在贷明细
nav-loans = 贷款台账
ledger-title = 贷款台账
as-of-date = 截至日期
par90 = 风险贷款率(PAR90)
by-bucket = 按逾期天数分类
bucket = 逾期分类
bucket-current = 正常
bucket-1-30 = 逾期1-30天
bucket-31-60 = 逾期31-60天
bucket-61-90 = 逾期61-90天
bucket-90 = 逾期90天以上
fee-due = 应收占用费
restructured = 展期

## Approvals
approvals-title = 待审批贷款
loan-id = 贷款编号
borrower = 借款人
principal = 金额
term = 期限
term-months = { $months } 个月
applied-on = 申请日期
applied-by = 经办人
purpose = 用途
board-approved = 理事会已批准
approve = 批准
approvals-none = 没有待审批的贷款。
approved = 贷款 { $loan } 已批准。

## Member page
member-title = 社员 { $name }
birth-date = 出生日期
guarantee-group = 联保小组
status-history = 户类别变动记录
date-label = 日期
risk-cause = 原因说明
member-loans = 贷款记录
member-no-loans = 该社员还没有贷款。
loan-status = 状态
disbursed-on = 放款日期
next-due = 下期应还
apply-for-member = 为该社员申请贷款
loan-status-applied = 已申请
loan-status-approved = 已批准，待放款
loan-status-disbursed = 在贷
loan-status-closed = 已还清
loan-status-written_off = 已核销
loan-status-rescheduled = 已展期
loan-status-unknown = 未知

## Loan application
nav-apply = 贷款申请
apply-title = 贷款申请
term-label = 期限（月）
method = 还款方式
method-equal_principal = 等额本金
method-equal_installments = 等额本息
method-fee_monthly = 按月付费，到期还本
method-bullet = 到期一次还本付费
purpose-category = 用途类别
purpose-crops = 种植业
purpose-livestock = 养殖业
purpose-processing = 农产品加工
purpose-trade = 商贸流通
purpose-services = 服务业
purpose-other = 其他
business = 户贷企用的企业名称（没有可不填）
apply-submit = 提交申请
preview-button = 预览还款计划
apply-hint = 申请提交后由另一位经办人审批（审贷分离）。
preview-title = 还款计划预览
preview-none = 填写金额、期限和日期后显示还款计划。
preview-basis = 按本社占用费率每年 { $rate }，若于 { $date } 放款：
due-date = 到期日
principal-part = 本金
fee-part = 占用费
payment = 应还金额
outstanding-after = 剩余本金
applied = 贷款 { $loan } 的申请已提交，等待审批。

## Disbursement
nav-disburse = 放款
disburse-title = 待放款贷款
disburse-none = 没有已批准待放款的贷款。
disburse-hint = 放款日期为今天（{ $date }），还款计划自放款日起计算。
approved-on = 批准日期
approved-by = 审批人
disburse = 放款
disbursed = 贷款 { $loan } 已放款。

## Day-end
nav-day-end = 日终
day-end-title = { $fund } 日终计提
day-end-through = 日终已运行至
day-end-never = 尚未运行
day-end-steps = 待运行日期数
day-end-to = 运行至
day-end-nothing = 日终已运行到这一天，没有需要运行的日期。
day-end-plan = 将依次运行：
day-end-run = 运行日终
day-end-hint = 每个月末单独运行一次，使各月的占用费记入当月。重复提交不会重复记账；中途中断后再次提交，会从中断处继续。
day-end-running = 共 { $count } 个日期，逐个运行：
day-end-step = 进度
day-end-loans = 计提笔数
day-end-back = 返回日终

## Year-end
nav-year-end = 年终决算
year-end-title = { $year }年度决算
dividend-basis = 分红依据
basis-shares = 按年末股金
basis-fees = 按全年所交占用费
preview-button-short = 预览
year-end-preview = 以下为预览，尚未记账。
year-end-done = 年终决算已完成并记账。
year-end-run = 执行年终决算
year-end-hint = 执行后该年度全部月份结账，不能再记账；之后的更正记入下一年度。
surplus = 本年结余
split = 结余分配
dividends = 股金分红
member-dividends = 社员分红明细
dividend = 分红金额

## Regulator extract
nav-extract = 监管数据
extract-title = 监管数据提取
extract-scope = 范围
extract-every-book = 可查看的全部账簿
extract-from = 起始日期
extract-to = 截止日期
extract-make = 生成并校验
extract-hint = 数据包与命令行 huzhu extract 生成的相同：账簿链、分录、余额、报表和贷款明细，附 manifest.json（行数与 SHA-256）。下载后可用 huzhu verify-extract 或 hledger 独立校验。
extract-verified = 校验通过：账簿链 { $links } 个环节完整，每个文件的行数和 SHA-256 与清单一致，余额与分录相符。
extract-problems = 校验发现问题：
extract-download = 下载数据包（ZIP，{ $kb } KB）
extract-period = 期间
extract-entries = 分录笔数
extract-head = 账簿链头（序号与哈希）
extract-files = 文件清单
extract-file = 文件
extract-rows = 行数
extract-failed = 无法生成数据包：
extract-again = 再次提取

## Federation dashboard
dashboard-title = { $federation } 成员互助社监测
fund = 互助社
gross-portfolio = 贷款余额
liquidity = 流动性比率
utilization = 资金使用率
reserve-cover = 风险准备覆盖率
alerts-count = { $count } 项预警
alert-par30 = 风险贷款率 { $value } 高于 { $limit }
alert-liquidity = 流动性比率 { $value } 低于 { $limit }
alert-poor-share = 贫困户贷款占比 { $value } 低于本社最低 { $limit }
alert-quarter = { $quarter } 季度报表未按期结账
chart-liquidity = 各互助社流动性比率
chart-par30-months = 近12个月成员互助社风险贷款率(PAR30)
month-label = { $year }年{ $month }月
trend-link = 查看近12个月风险贷款率趋势
trend-title = { $federation } 近12个月风险贷款率
nav-trend = 风险趋势
month = 月份
chart-alert-line = 预警线 { $limit }
federation-bank = 联合会银行存款
placements = 调剂拆出
borrowings = 调剂拆入
relief-pool = 互助救济金

## Books (admin)
books-title = 账簿一览
book-id = 账簿编号
book-name = 名称
book-kind = 类型
kind-fund = 村级互助社
kind-federation = 乡镇联合会
kind-program = 风险补偿项目
closed-through = 已结账至

## Refusals
refused = 操作被拒绝
refusal-field = { $field }：{ $reason }
field-request_id = 请求编号
field-fund_id = 互助社
field-loan_id = 贷款编号
field-member_id = 社员编号
field-principal = 金额
field-amount = 金额
field-date = 日期
field-term_months = 期限
field-token = 令牌
rule-loan_approver_not_applicant = 申请人不能审批自己的贷款（审贷分离）：须由另一位经办人批准。
rule-self_approval = 须由另一位经办人批准，不能自己审批自己的申请。
rule-loan_status_allows_it = 这笔贷款当前的状态不允许此操作。
rule-loan_board_approval_above_threshold = 金额超过本社规定的限额，须经理事会批准。
rule-loan_at_most_fund_maximum = 金额超过本社单笔贷款上限。
rule-first_loan_at_most_fund_maximum = 首次借款金额超过本社上限。
rule-loan_term_at_most_fund_maximum = 期限超过本社规定的最长期限。
rule-loan_household_share_of_capital = 该户借款超过本社资金的规定比例。
rule-borrower_has_no_loan_past_due = 借款人有逾期未还的贷款。
rule-borrower_has_no_unrecovered_write_off = 借款人有核销后尚未收回的贷款。
rule-borrower_in_guarantee_group = 借款人须加入联保小组。
rule-member_active = 借款人已不是本社社员。
rule-loan_dates_in_order = 日期早于这笔贷款之前的业务日期。
rule-repayment_at_most_owed = 还款金额超过应还总额。
rule-period_closed = 该月份已结账，不能再记账。
rule-account_non_negative = 账户余额不足。
rule-value_date_not_in_future = 日期不能晚于今天。
rule-day_end_once_per_date = 日终已运行到这一天或更晚，不能重复运行。
rule-day_end_not_in_future = 日终只能运行到今天，不能提前运行。
rule-year_end_once_per_year = 本年度已做过年终决算，每年只做一次。
rule-year_end_after_day_end = 须先把日终运行到12月31日（且该年度已结束），才能做年终决算。
rule-one_federation_per_fund = 一个互助社只能加入一个联合会。
rule-member_fund_of_federation = 这个互助社不是本联合会的成员社。
rule-remove_without_open_placements = 该社还有未结清的调剂资金，结清后才能退出联合会。
rule-placement_limit = 超过调剂限额：每社调剂拆出、拆入各不超过其资金的规定比例。
rule-repay_within_outstanding = 归还金额超过这笔调剂资金的未还本金。
rule-repay_not_before_placement = 归还日期不能早于调剂日期。
rule-official_may_not_chair = 乡镇干部不能担任理事长。
rule-officers_are_farmers = 理事、监事须由农民担任。
rule-officers_are_delegates_of_member_funds = 理事、监事须是成员社的代表。
rule-supervisors_not_on_the_board = 监事不能同时担任理事。
rule-relief_after_write_off = 救助只针对已核销且尚未收回的贷款，金额不超过未收回的损失。
rule-relief_within_pool = 互助救济金余额不足以支付这笔救助。
rule-grant_pending = 这笔救助已经批准过了。
rule-contribution_positive = 缴纳金额须大于零。
field-grant_id = 救助编号
field-federation_id = 联合会
field-reason = 原因

## Balancing (federation)
nav-balancing = 余缺调剂
balancing-title = { $federation } 资金余缺调剂
balancing-rules = 每社存入联合会、向联合会借入的资金各不超过其资金的 { $share }；存入年利率 { $rate }，借入另加 { $spread }。
fund-capital = 资金
balancing-limit = 调剂限额
fund-placed = 存入联合会
fund-borrowed = 向联合会借入
of-limit = 占限额
fees-received-paid = 已收 / 已付调剂费
placements-open = 未结清的调剂资金
placements-none = 没有未结清的调剂资金。
placement-id = 调剂编号
placement-direction = 方向
placement-from-fund = 互助社存入联合会
placement-to-fund = 联合会借给互助社
placement-outstanding = 未还本金
rate-annual = 年利率
placed-on = 调剂日期

## Relief pool (federation)
nav-relief = 互助救济
relief-title = { $federation } 互助救济金
relief-waiting = 待批准的救助申请
relief-none-waiting = 没有待批准的救助申请。
relief-ask = 申请救助
relief-ask-submit = 提交救助申请
relief-loan = 已核销的贷款编号
relief-reason = 原因
relief-history = 救济金收支记录
relief-kind = 类别
relief-detail = 说明
relief-by = 经办人
relief-contribution = 成员社缴纳
relief-requested = 申请救助
relief-approved = 批准救助
relief-done-requested = 救助申请 { $grant } 已提交，须由另一位经办人批准。
relief-done-approved = 救助 { $grant } 已批准，款项已从救济金拨付。
relief-fixed = 固定金额
relief-fee-share = 手续费收入 { $income } 的 { $share }
relief-grant-detail = 贷款 { $loan }：{ $reason }
grant-id = 救助编号
amount = 金额
date-column = 日期
not-closed = 未结账
rule-leverage_cap = 超过放大倍数上限：担保贷款余额不能超过风险补偿金的规定倍数。
rule-borrower_eligible = 借款户不符合扶贫小额信贷的对象条件。
rule-borrower_age_limit = 借款人年龄不在规定范围内。
rule-guaranteed_principal_max = 金额超过本项目单户贷款上限。
rule-guaranteed_term_max = 期限超过本项目最长期限。
rule-lending_suspended = 不良率高于暂停线，本项目已暂停新增担保贷款。
rule-claim_threshold = 逾期天数未达到代偿条件。
rule-claim_once = 这笔贷款已代偿过。
rule-claim_needs_guarantee = 只贴息的贷款没有担保，不能代偿。
rule-guaranteed_loan_active = 这笔担保贷款已结清或已代偿。
rule-recovery_after_claim = 代偿之后才能登记追回。
rule-recovery_at_most_loss = 追回金额超过代偿损失。

## County program (bank, regulator)
nav-program = 风险补偿金
program-title = { $program } 风险补偿金
program-lending = 正常放贷：不良率 { $ratio }，暂停线 { $limit }。
program-suspended = 已暂停放贷：不良率 { $ratio } 高于暂停线 { $limit }。不良率回落到暂停线以下后自动恢复。
program-fund-balance = 风险补偿金余额
program-ratio = 放大倍数
program-capacity = 担保贷款上限
program-exposure = 担保贷款余额
program-headroom = 剩余额度
program-leverage = 实际放大倍数
program-default-ratio = 不良率
program-in-default = 不良贷款
program-compensation = 已代偿
program-recoveries = 已追回
program-gauge = 担保贷款占上限
program-capacity-used = 已用额度
program-capacity-line = 上限 { $capacity }
program-suspend-line = 暂停线 { $limit }
chart-default-months = 近12个月不良率
program-loans = 担保贷款（{ $count } 笔）
household-status = 户类别
guarantee-state = 状态
guarantee-active = 正常
guarantee-overdue = 逾期
guarantee-closed = 已结清
guarantee-claimed = 已代偿
subsidy-only = 只贴息
