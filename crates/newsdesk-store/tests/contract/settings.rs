//! Site settings: saved together, read back by name, a second save replacing the first, and
//! every save moving the site revision (so every node's cached pages go).

use chrono::Utc;
use newsdesk_core::Store;

async fn settings_are_saved_together_and_replace_their_old_values(s: &dyn Store) {
    assert!(s.settings().await.unwrap().is_empty());
    let before = s.site_revision().await.unwrap();
    let pairs = |v: &[(&str, &str)]| {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    };
    s.save_settings(
        &pairs(&[
            ("site_name", "The Harbour Post"),
            ("time_zone", "Europe/Paris"),
        ]),
        Utc::now(),
    )
    .await
    .unwrap();
    assert!(s.site_revision().await.unwrap() > before);
    s.save_settings(&pairs(&[("site_name", "The Harbour Times\0")]), Utc::now())
        .await
        .unwrap();
    assert_eq!(
        s.settings().await.unwrap(),
        pairs(&[
            ("site_name", "The Harbour Times"),
            ("time_zone", "Europe/Paris")
        ])
    );
}

on_both_stores!(settings_are_saved_together_and_replace_their_old_values);
