//! Entry point of the Yew page (`kcp::ui`), built by Trunk from
//! `www/index.html` with the `ui` feature: `trunk serve` for development,
//! `trunk build --release` for the static site in `dist/`.

fn main() {
    kcp::ui::start();
}
