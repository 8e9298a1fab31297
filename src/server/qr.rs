//! QR codes drawn on the server as SVG: an authenticator app's address
//! (sign-in codes) and an invoice's payment details (`domain::payment_qr`).
//! Project Nayuki's `qrcodegen` encodes; the drawing is one path of unit
//! squares with the standard's four-module quiet zone.
use qrcodegen::{QrCode, QrCodeEcc};

/// The QR code of `text`, `label` naming it for screen readers. Medium
/// error correction: a phone reads it off a screen or a print alike.
pub fn svg(text: &str, label: &str) -> String {
    // Up to 2 331 bytes fit at this level; every text we encode is far shorter.
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).expect("the text fits a QR code");
    let size = qr.size();
    let border = 4;
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let full = size + border * 2;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {full} {full}\" width=\"240\" height=\"240\" \
         role=\"img\" aria-label=\"{}\" shape-rendering=\"crispEdges\">\
         <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>",
        crate::domain::text::escape_html(label)
    )
}
