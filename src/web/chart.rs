//! Charts drawn on the server as SVG, so they need no script and print:
//! a horizontal bar per item with its value as a percentage, and an alert
//! line. Hand-built: a few rectangles and texts, no charting dependency.
use maud::{html, Markup};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::format::percent;

/// One bar: its label, its ratio (None when it has none), and whether it
/// is on the wrong side of the alert line.
pub struct Bar {
    pub label: String,
    pub ratio: Option<Decimal>,
    pub alert: bool,
}

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 150.0;
const VALUE_WIDTH: f64 = 70.0;
const ROW_HEIGHT: f64 = 26.0;
const TOP: f64 = 44.0;
/// The width a line's caption takes to its right.
const CAPTION_ROOM: f64 = 160.0;

/// Bars of ratios from 0 to the largest of them, of the line and of
/// `floor` (100% for a ratio that is read against a whole, nothing for
/// small ratios read against their alert line), with a dashed line at
/// `line` and its caption.
pub fn ratio_bars(
    title: &str,
    bars: &[Bar],
    line: Option<(Decimal, String)>,
    floor: Decimal,
) -> Markup {
    let plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    let max = bars
        .iter()
        .filter_map(|b| b.ratio)
        .chain(line.iter().map(|(l, _)| *l))
        .fold(floor, Decimal::max)
        .to_f64()
        .filter(|m| *m > 0.0)
        .unwrap_or(1.0);
    let x = |r: Decimal| LABEL_WIDTH + plot * (r.to_f64().unwrap_or(0.0).max(0.0) / max);
    let height = TOP + ROW_HEIGHT * bars.len() as f64 + 10.0;
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (WIDTH) " " (height) } role="img" aria-label=(title) {
            title { (title) }
            text x="4" y="18" font-size="14" font-weight="600" fill="#1d2a24" { (title) }
            @for (i, b) in bars.iter().enumerate() {
                @let y = TOP + ROW_HEIGHT * i as f64;
                text x=(LABEL_WIDTH - 6.0) y=(y + 16.0) font-size="12" text-anchor="end" fill="#1d2a24" { (b.label) }
                @if let Some(r) = b.ratio {
                    rect x=(LABEL_WIDTH) y=(y + 4.0) width=(x(r) - LABEL_WIDTH) height=(ROW_HEIGHT - 8.0)
                        fill=(if b.alert { "#c0392b" } else { "#2e7d5b" }) {}
                    text x=(x(r) + 4.0) y=(y + 16.0) font-size="12" fill="#1d2a24" { (percent(&r.to_string())) }
                } @else {
                    text x=(LABEL_WIDTH + 4.0) y=(y + 16.0) font-size="12" fill="#5b6b63" { "—" }
                }
            }
            @if let Some((l, caption)) = &line {
                line x1=(x(*l)) x2=(x(*l)) y1=(TOP - 4.0) y2=(height - 6.0) stroke="#8c1d10" stroke-dasharray="4 3" {}
                // A caption near the right edge is drawn to the line's left.
                @let (at, anchor) = if x(*l) > WIDTH - CAPTION_ROOM { (x(*l) - 4.0, "end") } else { (x(*l) + 4.0, "start") };
                text x=(at) y=(TOP - 8.0) font-size="11" text-anchor=(anchor) fill="#8c1d10" { (caption) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_scaled_and_coloured_by_alert() {
        let bars = [
            Bar {
                label: "东村".into(),
                ratio: Some(Decimal::new(5, 1)),
                alert: false,
            },
            Bar {
                label: "西村".into(),
                ratio: Some(Decimal::new(5, 2)),
                alert: true,
            },
            Bar {
                label: "南山".into(),
                ratio: None,
                alert: false,
            },
        ];
        let svg = ratio_bars(
            "流动性",
            &bars,
            Some((Decimal::new(10, 2), "预警线 10.00%".into())),
            Decimal::ONE,
        )
        .into_string();
        // 50% of the 420-wide plot from x = 150: 210 wide.
        assert!(svg.contains(r#"width="210""#), "{svg}");
        assert!(svg.contains("50.00%") && svg.contains("5.00%"));
        assert!(svg.contains("#c0392b"), "the fund below the line is red");
        assert!(svg.contains("预警线 10.00%") && svg.contains("南山"));
        // Without a floor the largest (50%) spans the plot.
        let small = ratio_bars("流动性", &bars, None, Decimal::ZERO).into_string();
        assert!(small.contains(r#"width="420""#), "{small}");
    }
}
