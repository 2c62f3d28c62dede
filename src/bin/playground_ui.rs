//! Entry point of the Yew page built by Trunk.
fn main() {
    kcp::ui::start();
}
