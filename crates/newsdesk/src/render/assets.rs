//! The site's own stylesheet, script and icon, built into the binary, and the version that
//! pages put in their addresses.

/// Changes whenever the stylesheet or script changes, so the long cache lifetime below never
/// serves stale files.
pub fn asset_version() -> &'static str {
    static VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        use sha2::{Digest, Sha256};
        let digest = Sha256::new()
            .chain_update(CSS)
            .chain_update(JS)
            .chain_update(ICON)
            .finalize();
        hex::encode(&digest[..6])
    });
    VERSION.as_str()
}

pub const CSS: &str = include_str!("../../static/site.css");
pub const JS: &str = include_str!("../../static/site.js");
pub const ICON: &str = include_str!("../../static/favicon.svg");
