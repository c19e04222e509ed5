//! Pictures: kept once by name with their bytes, variants read back by width and format, the
//! library found by words, and a picture a story shows is never deleted.

use chrono::{Duration, Utc};
use newsdesk_core::media::{NewPicture, PictureDeletion, PictureFormat, PictureText};
use newsdesk_core::{ArticleFields, ArticleStatus, Hero, Store};

const A: &str = "0123456789abcdef0123456789abcdef";
const B: &str = "fedcba9876543210fedcba9876543210";

fn picture(name: &str, width: u32, alt: &str) -> NewPicture {
    NewPicture {
        name: name.into(),
        format: PictureFormat::Jpeg,
        width,
        height: width / 2,
        data: vec![0xFF, 0xD8, 0xFF, 0, 1, 2, 255],
        alt: alt.into(),
        caption: String::new(),
        credit: "Staff photographer".into(),
        uploaded_by: "user:ed@example.org".into(),
    }
}

async fn a_picture_is_kept_once_with_its_bytes_and_words(s: &dyn Store) {
    let now = Utc::now();
    assert!(s
        .put_picture(&picture(A, 800, "A harbour crane"), now)
        .await
        .unwrap());
    assert!(
        !s.put_picture(&picture(A, 800, "another text"), now)
            .await
            .unwrap(),
        "the same content is kept once; the second upload changes nothing"
    );
    let p = s.picture(A).await.unwrap().unwrap();
    assert_eq!(
        (p.width, p.height, p.format),
        (800, 400, PictureFormat::Jpeg)
    );
    assert_eq!(p.alt, "A harbour crane");
    assert_eq!(p.bytes, 7);
    let bytes = s.picture_bytes(A, None, PictureFormat::Jpeg).await.unwrap();
    assert_eq!(
        bytes.as_deref(),
        Some(&[0xFF, 0xD8, 0xFF, 0, 1, 2, 255][..])
    );
    assert_eq!(
        s.picture_bytes(A, None, PictureFormat::Png).await.unwrap(),
        None
    );
    assert_eq!(s.picture("not-a-picture\0").await.unwrap(), None);
}

async fn a_width_is_ready_once_both_of_its_formats_are_kept(s: &dyn Store) {
    s.put_picture(&picture(A, 800, ""), Utc::now() - Duration::minutes(5))
        .await
        .unwrap();
    let later = Utc::now();
    assert_eq!(
        s.pictures_without_variants(later, 10).await.unwrap().len(),
        1
    );
    for w in [320, 640, 800] {
        s.put_variant(A, w, w / 2, PictureFormat::Jpeg, &[1, 2])
            .await
            .unwrap();
    }
    s.put_variant(A, 320, 160, PictureFormat::Webp, &[3])
        .await
        .unwrap();
    s.put_variant(A, 320, 160, PictureFormat::Webp, &[9])
        .await
        .unwrap();
    let p = s.picture(A).await.unwrap().unwrap();
    assert_eq!(
        p.ready_widths,
        vec![320],
        "640 and 800 lack their WebP copy"
    );
    assert!(!p.variants_ready());
    for w in [640, 800] {
        s.put_variant(A, w, w / 2, PictureFormat::Webp, &[4])
            .await
            .unwrap();
    }
    let p = s.picture(A).await.unwrap().unwrap();
    assert_eq!(p.ready_widths, vec![320, 640, 800]);
    assert!(p.variants_ready());
    assert!(s
        .pictures_without_variants(later, 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        s.picture_bytes(A, Some(320), PictureFormat::Webp)
            .await
            .unwrap(),
        Some(vec![3]),
        "a second copy of a variant changes nothing"
    );
    assert_eq!(
        s.picture_bytes(A, Some(960), PictureFormat::Webp)
            .await
            .unwrap(),
        None
    );
}

async fn the_library_finds_pictures_by_their_words_newest_first(s: &dyn Store) {
    let now = Utc::now();
    s.put_picture(
        &picture(A, 800, "Ferry at dawn"),
        now - Duration::minutes(2),
    )
    .await
    .unwrap();
    s.put_picture(&picture(B, 800, "Council chamber 100%"), now)
        .await
        .unwrap();
    let (all, total) = s.list_pictures(None, 10, 0).await.unwrap();
    assert_eq!(total, 2);
    assert_eq!(all[0].name, B, "newest first");
    let (found, total) = s.list_pictures(Some("FERRY"), 10, 0).await.unwrap();
    assert_eq!((found.len(), total), (1, 1));
    assert_eq!(found[0].name, A);
    let (found, _) = s.list_pictures(Some("100%"), 10, 0).await.unwrap();
    assert_eq!(found.len(), 1, "% is a character to find, not a wildcard");
    let (found, _) = s.list_pictures(Some("0%"), 10, 0).await.unwrap();
    assert_eq!(found.len(), 1);
    let (page2, total) = s.list_pictures(None, 1, 1).await.unwrap();
    assert_eq!((page2[0].name.as_str(), total), (A, 2));
    let text = PictureText {
        alt: "Ferry leaving at dawn".into(),
        caption: "The first crossing".into(),
        credit: "Lena Ortiz".into(),
    };
    let before = s.site_revision().await.unwrap();
    assert!(s.set_picture_text(A, &text).await.unwrap());
    assert!(
        s.site_revision().await.unwrap() > before,
        "pages showing it must be made again"
    );
    assert_eq!(s.picture(A).await.unwrap().unwrap().credit, "Lena Ortiz");
    assert!(!s.set_picture_text("0000", &text).await.unwrap());
}

fn story_with_hero(slug: &str, url: &str) -> ArticleFields {
    let mut f = crate::stories::fields(slug, ArticleStatus::Draft);
    f.hero = Some(Hero {
        url: url.into(),
        alt: "alt".into(),
        caption: String::new(),
        credit: String::new(),
    });
    f
}

async fn a_picture_a_story_shows_is_not_deleted(s: &dyn Store) {
    let now = Utc::now();
    s.put_picture(&picture(A, 800, ""), now).await.unwrap();
    s.put_picture(&picture(B, 800, ""), now).await.unwrap();
    s.put_variant(B, 320, 160, PictureFormat::Jpeg, &[1])
        .await
        .unwrap();
    s.insert_article(
        &story_with_hero("uses-a", &format!("/media/{A}.jpg")),
        "u",
        now,
    )
    .await
    .unwrap();
    let mut in_body = crate::stories::fields("shows-a", ArticleStatus::Draft);
    in_body.body = format!("Text.\n\n![A crane](/media/{A}-640.webp)\n");
    s.insert_article(&in_body, "u", now).await.unwrap();
    let uses = s.picture_uses(A).await.unwrap();
    assert_eq!(
        uses.iter().map(|u| u.slug.as_str()).collect::<Vec<_>>(),
        vec!["shows-a", "uses-a"]
    );
    match s.delete_picture(A).await.unwrap() {
        PictureDeletion::InUse(u) => assert_eq!(u.len(), 2),
        other => panic!("deleted a picture in use: {other:?}"),
    }
    assert!(s.picture(A).await.unwrap().is_some());
    assert_eq!(s.delete_picture(B).await.unwrap(), PictureDeletion::Deleted);
    assert_eq!(s.picture(B).await.unwrap(), None);
    assert_eq!(
        s.picture_bytes(B, Some(320), PictureFormat::Jpeg)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        s.delete_picture(B).await.unwrap(),
        PictureDeletion::NotFound
    );
}

on_both_stores!(
    a_picture_is_kept_once_with_its_bytes_and_words,
    a_width_is_ready_once_both_of_its_formats_are_kept,
    the_library_finds_pictures_by_their_words_newest_first,
    a_picture_a_story_shows_is_not_deleted,
);
