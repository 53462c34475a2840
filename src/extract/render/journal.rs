//! The plain-text journals of a bundle: hledger (journal.hledger) and
//! beancount (journal.beancount), each a head (what it covers, the accounts,
//! the opening balances), one transaction an entry, and closing balance
//! assertions.
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use super::{ledger_account, BalanceRow, Spec};
use crate::domain::money::format_fen;
use crate::ledger::record::EntryRecord;

/// hledger's account type tag for an account type.
fn hledger_type(account_type: &str) -> Option<&'static str> {
    match account_type {
        "asset" => Some("A"),
        "liability" => Some("L"),
        "equity" => Some("E"),
        "income" => Some("R"),
        "expense" => Some("X"),
        _ => None,
    }
}

/// Text safe inside a journal description or tag value: no line breaks, no
/// comment or tag separators.
fn plain(text: &str) -> String {
    let t: String = text
        .chars()
        .map(|c| match c {
            ';' | ',' | '\n' | '\r' | '\t' => ' ',
            c => c,
        })
        .collect();
    t.trim().to_string()
}

/// The rows with a balance, and the balance in fen.
fn non_zero(rows: &[BalanceRow]) -> Vec<(&BalanceRow, i128)> {
    rows.iter()
        .filter_map(|r| r.fen().ok().filter(|f| *f != 0).map(|f| (r, f)))
        .collect()
}

/// What a plain-text journal covers, as comments (both syntaxes start a
/// comment with ';').
fn covers(w: &mut impl Write, spec: &Spec) -> io::Result<()> {
    let books = if spec.books.is_empty() {
        "all".to_string()
    } else {
        spec.books.join(" ")
    };
    writeln!(w, "; Huzhu ledger extract ({})", crate::extract::FORMAT)?;
    writeln!(w, "; books: {books}")?;
    writeln!(w, "; period: {} to {}", spec.from, spec.to)?;
    writeln!(
        w,
        "; chain head: entry {} hash {}",
        spec.head_seq, spec.head_hash
    )
}

/// The journal's head: what it covers, the commodity, and every account with
/// its type, then the opening balances as one transaction on the first day.
pub fn hledger_head(w: &mut impl Write, spec: &Spec, opening: &[BalanceRow]) -> io::Result<()> {
    covers(w, spec)?;
    writeln!(w, "; amounts in yuan; debits positive, credits negative")?;
    writeln!(w)?;
    writeln!(w, "commodity 1000.00 CNY")?;
    writeln!(w)?;
    for r in opening {
        match hledger_type(&r.account_type) {
            Some(t) => writeln!(
                w,
                "account {}  ; type: {t}, name: {}",
                r.ledger_account(),
                plain(&r.name)
            )?,
            None => writeln!(
                w,
                "account {}  ; name: {}",
                r.ledger_account(),
                plain(&r.name)
            )?,
        }
    }
    writeln!(w)?;
    let open = non_zero(opening);
    if !open.is_empty() {
        writeln!(w, "{} opening balances", spec.from)?;
        for (r, fen) in open {
            writeln!(w, "    {}    {} CNY", r.ledger_account(), format_fen(fen))?;
        }
        writeln!(w)?;
    }
    Ok(())
}

/// One journal entry as a transaction: the seq as its code, the memo as its
/// description, request id, actor and reversal as tags.
pub fn hledger_entry(
    w: &mut impl Write,
    entry: &EntryRecord,
    scope: &BTreeSet<String>,
) -> io::Result<()> {
    let memo = plain(&entry.memo);
    let memo = if memo.is_empty() { "(no memo)" } else { &memo };
    writeln!(w, "{} ({}) {memo}", entry.value_date, entry.seq)?;
    write!(
        w,
        "    ; request_id: {}, actor: {}",
        plain(&entry.request_id),
        plain(&entry.actor)
    )?;
    if entry.reverses != 0 {
        write!(w, ", reverses: {}", entry.reverses)?;
    }
    writeln!(w)?;
    for p in entry.postings.iter().filter(|p| scope.contains(&p.book)) {
        writeln!(
            w,
            "    {}    {} CNY",
            ledger_account(&p.book, &p.code, &p.sub),
            format_fen(p.side.signed(p.amount_fen))
        )?;
    }
    writeln!(w)
}

/// Balance assertions on the last day: every account's closing balance.
pub fn hledger_tail(w: &mut impl Write, spec: &Spec, closing: &[BalanceRow]) -> io::Result<()> {
    if closing.is_empty() {
        return Ok(());
    }
    writeln!(w, "{} closing balance assertions", spec.to)?;
    for r in closing {
        let fen = r.fen().map_err(io::Error::other)?;
        writeln!(
            w,
            "    {}    0 CNY = {} CNY",
            r.ledger_account(),
            format_fen(fen)
        )?;
    }
    Ok(())
}

/// An account's name in beancount: a root by type, then the book, the code
/// and the sub-account, each part starting with a capital or a digit and
/// holding only letters, digits and '-' ("fund-a/3002/member:M_1" is
/// "Equity:Fund-a:3002:Member:M-1").
pub fn beancount_account(account_type: &str, book: &str, code: &str, sub: &str) -> String {
    let root = match account_type {
        "asset" | "memo_debit" => "Assets",
        "liability" | "memo_credit" => "Liabilities",
        "equity" => "Equity",
        "income" => "Income",
        _ => "Expenses",
    };
    let part = |p: &str| {
        let p: String = p
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let mut chars = p.chars();
        chars.next().map_or(String::new(), |first| {
            first.to_ascii_uppercase().to_string() + chars.as_str()
        })
    };
    let mut name = format!("{root}:{}:{}", part(book), part(code));
    for p in sub.split(':').filter(|p| !p.is_empty()) {
        name.push(':');
        name.push_str(&part(p));
    }
    name
}

/// Text inside a beancount string: no line breaks, quotes and backslashes escaped.
fn quoted(text: &str) -> String {
    let t: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!("\"{}\"", t.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The beancount journal's head: what it covers, every account opened on the
/// first day, and the opening balances as one transaction.
pub fn beancount_head(w: &mut impl Write, spec: &Spec, opening: &[BalanceRow]) -> io::Result<()> {
    covers(w, spec)?;
    writeln!(w, "option \"operating_currency\" \"CNY\"")?;
    writeln!(w)?;
    let name = |r: &BalanceRow| beancount_account(&r.account_type, &r.book_id, &r.code, &r.sub);
    for r in opening {
        writeln!(w, "{} open {} CNY", spec.from, name(r))?;
        writeln!(w, "  name: {}", quoted(&r.name))?;
    }
    writeln!(w)?;
    let open = non_zero(opening);
    if !open.is_empty() {
        writeln!(w, "{} * \"opening balances\"", spec.from)?;
        for (r, fen) in open {
            writeln!(w, "  {}  {} CNY", name(r), format_fen(fen))?;
        }
        writeln!(w)?;
    }
    Ok(())
}

/// One journal entry as a beancount transaction, with its seq, request id,
/// actor and reversal as metadata. `types` gives each account's type.
pub fn beancount_entry(
    w: &mut impl Write,
    entry: &EntryRecord,
    types: &BTreeMap<String, String>,
) -> io::Result<()> {
    writeln!(w, "{} * {}", entry.value_date, quoted(&entry.memo))?;
    writeln!(w, "  seq: \"{}\"", entry.seq)?;
    writeln!(w, "  request_id: {}", quoted(&entry.request_id))?;
    writeln!(w, "  actor: {}", quoted(&entry.actor))?;
    if entry.reverses != 0 {
        writeln!(w, "  reverses: \"{}\"", entry.reverses)?;
    }
    for p in &entry.postings {
        let account = ledger_account(&p.book, &p.code, &p.sub);
        let Some(account_type) = types.get(&account) else {
            continue;
        };
        writeln!(
            w,
            "  {}  {} CNY",
            beancount_account(account_type, &p.book, &p.code, &p.sub),
            format_fen(p.side.signed(p.amount_fen))
        )?;
    }
    writeln!(w)
}

/// Each account's type by its plain-text name, for the accounts in scope.
pub fn account_types(rows: &[BalanceRow]) -> BTreeMap<String, String> {
    rows.iter()
        .map(|r| (r.ledger_account(), r.account_type.clone()))
        .collect()
}

/// Balance assertions on the day after the period (beancount checks a
/// balance at the start of its day): every account's closing balance,
/// including its sub-accounts, as beancount counts them. Written with a third
/// decimal: bean-check tolerates one unit of an assertion's last place, and
/// the books must agree to the fen.
pub fn beancount_tail(w: &mut impl Write, spec: &Spec, closing: &[BalanceRow]) -> io::Result<()> {
    let Some(day_after) = spec.to.succ_opt() else {
        return Ok(());
    };
    let mut own: BTreeMap<String, i128> = BTreeMap::new();
    for r in closing {
        let fen = r.fen().map_err(io::Error::other)?;
        let name = beancount_account(&r.account_type, &r.book_id, &r.code, &r.sub);
        *own.entry(name).or_default() += fen;
    }
    for name in own.keys() {
        let children = format!("{name}:");
        let total: i128 = own
            .range(name.clone()..)
            .take_while(|(n, _)| *n == name || n.starts_with(&children))
            .map(|(_, f)| f)
            .sum();
        writeln!(w, "{day_after} balance {name}  {}0 CNY", format_fen(total))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beancount_names_are_valid_components() {
        assert_eq!(
            beancount_account("equity", "fund-a", "3002", "member:M_1"),
            "Equity:Fund-a:3002:Member:M-1"
        );
        assert_eq!(
            beancount_account("memo_credit", "county_x", "7002", "loan:b.1"),
            "Liabilities:County-x:7002:Loan:B-1"
        );
        assert_eq!(quoted("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
    }
}
