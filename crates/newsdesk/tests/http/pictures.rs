//! Pictures as a newsroom uploads them: a phone photo through the editor comes out upright
//! with no place or camera in any copy, in every width; every node serves every picture; the
//! library edits a picture's words in one place and keeps what stories show.

use crate::desk::Desk;
use crate::helpers::{story, TestApp};
use exif::experimental::Writer;
use exif::{Field, In, Rational, Tag, Value};
use image::{DynamicImage, GenericImageView, Rgb, RgbImage};
use newsdesk_core::Role;
use serde_json::{json, Value as Json};
use std::io::Cursor;

/// A photo as a phone saves it: the sensor's landscape pixels (red left half, blue right),
/// a flag saying "turn me 90° clockwise", and where it was taken.
pub fn phone_photo(width: u32, height: u32) -> Vec<u8> {
    let pixels = RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    });
    let mut jpeg = Vec::new();
    DynamicImage::ImageRgb8(pixels)
        .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    let deg = |d: u32, m: u32, s: u32| {
        Value::Rational(vec![
            Rational { num: d, denom: 1 },
            Rational { num: m, denom: 1 },
            Rational { num: s, denom: 1 },
        ])
    };
    let fields = [
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![6]),
        },
        Field {
            tag: Tag::Make,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"Handset Maker".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"N".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: deg(48, 51, 29),
        },
        Field {
            tag: Tag::GPSLongitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"E".to_vec()]),
        },
        Field {
            tag: Tag::GPSLongitude,
            ifd_num: In::PRIMARY,
            value: deg(2, 17, 40),
        },
    ];
    let mut writer = Writer::new();
    for f in &fields {
        writer.push_field(f);
    }
    let mut tiff = Cursor::new(Vec::new());
    writer.write(&mut tiff, false).unwrap();
    let tiff = tiff.into_inner();
    // The EXIF block goes right after the JPEG's start marker, as cameras write it.
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend_from_slice(&((tiff.len() + 8) as u16).to_be_bytes());
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    let read = exif::Reader::new()
        .read_from_container(&mut Cursor::new(&out))
        .unwrap();
    assert!(
        read.get_field(Tag::GPSLatitude, In::PRIMARY).is_some(),
        "the test photo has a place"
    );
    out
}

/// Whether a served file still tells anything of the camera or the place.
fn tells_where(bytes: &[u8]) -> bool {
    let exif = exif::Reader::new().read_from_container(&mut Cursor::new(bytes));
    exif.is_ok() || bytes.windows(4).any(|w| w == b"Exif")
}

async fn wait_for_variants(app: &TestApp, name: &str) -> Json {
    for _ in 0..200 {
        let (status, p) = app
            .get_json(&format!("/api/v1/media/{name}"), Some(&app.editor))
            .await;
        assert_eq!(status, 200, "{p}");
        if p["variants_ready"] == true {
            return p;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the variants of {name} were not made within 20 s");
}

async fn fetch(app: &TestApp, path: &str) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let r = app.get(path).await;
    assert_eq!(r.status().as_u16(), 200, "{path}");
    let headers = r.headers().clone();
    (headers, r.bytes().await.unwrap().to_vec())
}

async fn a_phone_photo_uploaded_in_the_editor_is_upright_placeless_and_in_every_width(
    app: TestApp,
) {
    let desk = Desk::log_in(&app, "photo.desk@example.org", Role::Editor).await;
    let csrf = desk.csrf().await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("revision", ""),
        ("headline", "Ferry returns to the harbour"),
        ("standfirst", "The old crossing runs again from Monday."),
        ("section", "city"),
        ("authors", "Cleo Park"),
        ("body", "The ferry made its first crossing in two years."),
        ("hero_alt", "The ferry at the quay"),
        ("hero_caption", ""),
        ("hero_credit", ""),
        ("status", "published"),
        ("action", "save"),
    ];
    let r = desk
        .post_multipart(
            "/admin/stories",
            &fields,
            (
                "hero_file",
                "IMG_2041.JPG",
                "image/jpeg",
                phone_photo(800, 400),
            ),
        )
        .await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());

    let (_, a) = app
        .get_json(
            "/api/v1/articles/ferry-returns-to-the-harbour",
            Some(&app.editor),
        )
        .await;
    let url = a["hero"]["url"]
        .as_str()
        .expect("the hero is the uploaded picture")
        .to_string();
    let name = url
        .trim_start_matches("/media/")
        .split('.')
        .next()
        .unwrap()
        .to_string();
    let p = wait_for_variants(&app, &name).await;
    assert_eq!(
        (p["width"].as_u64(), p["height"].as_u64()),
        (Some(400), Some(800)),
        "turned upright"
    );

    let mut served = vec![url.clone()];
    served.extend(
        p["variants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["url"].as_str().unwrap().to_string()),
    );
    assert_eq!(
        served.len(),
        1 + 2 * 2,
        "320 and 400 wide, each in JPEG and WebP: {p}"
    );
    for path in &served {
        let (headers, bytes) = fetch(&app, path).await;
        assert!(!tells_where(&bytes), "{path} still carries metadata");
        assert!(
            headers["cache-control"]
                .to_str()
                .unwrap()
                .contains("immutable"),
            "{path}"
        );
        let img = image::load_from_memory(&bytes).unwrap();
        let (w, h) = img.dimensions();
        assert!(h > w, "{path} is {w}×{h}, not upright");
        let top = img.get_pixel(w / 2, h / 8);
        let bottom = img.get_pixel(w / 2, h * 7 / 8);
        assert!(
            top[0] > 150 && top[2] < 100,
            "{path}: the left of the sensor is now the top: {top:?}"
        );
        assert!(bottom[2] > 150 && bottom[0] < 100, "{path}: {bottom:?}");
    }

    let (_, html) = app.get_text("/news/ferry-returns-to-the-harbour").await;
    let webp_set = format!("/media/{name}-320.webp 320w, /media/{name}-400.webp 400w");
    assert!(
        html.contains(&format!(
            "<source type=\"image/webp\" srcset=\"{webp_set}\""
        )),
        "{html}"
    );
    assert!(html.contains(&format!(
        "srcset=\"/media/{name}-320.jpg 320w, /media/{name}-400.jpg 400w\""
    )));
    assert!(
        html.contains("width=\"400\" height=\"800\""),
        "the page reserves the picture's real shape"
    );
    assert!(html.contains("alt=\"The ferry at the quay\""));
    assert!(html.contains(&format!(
        "<meta property=\"og:image\" content=\"{}/media/{name}-400.jpg\">",
        app.base
    )));
}

async fn every_node_serves_every_picture(app: TestApp) {
    let other = app.another_node().await;
    let r = app
        .client
        .post(app.url("/api/v1/media?alt=A%20quay&filename=quay.jpg"))
        .bearer_auth(&app.editor)
        .header("content-type", "image/jpeg")
        .body(phone_photo(1400, 700))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let p: Json = r.json().await.unwrap();
    let name = p["name"].as_str().unwrap().to_string();
    let p = wait_for_variants(&app, &name).await;
    for v in std::iter::once(&p["url"])
        .chain(p["variants"].as_array().unwrap().iter().map(|v| &v["url"]))
    {
        let path = v.as_str().unwrap();
        let (_, here) = fetch(&app, path).await;
        let (_, there) = fetch(&other, path).await;
        assert_eq!(here, there, "{path} differs between nodes");
    }
    let mut s = story("Quay story on two nodes");
    s["hero"] = json!({"url": p["url"], "alt": "A quay"});
    app.create(s).await;
    let (status, html) = other.get_text("/news/quay-story-on-two-nodes").await;
    let hero = html
        .find("class=\"hero\"")
        .map_or("", |at| &html[at..(at + 900).min(html.len())]);
    assert!(
        html.contains(&format!("/media/{name}-320.webp 320w")),
        "the second node offers the variants: {status} {hero}"
    );
}

async fn a_photo_straight_from_a_phone_fits_and_what_lies_is_refused(app: TestApp) {
    let send = |body: Vec<u8>, mime: &'static str| {
        app.client
            .post(app.url("/api/v1/media"))
            .bearer_auth(&app.editor)
            .header("content-type", mime)
            .body(body)
            .send()
    };
    // Noise compresses badly: this photo is a few megabytes, past the 1 MiB general limit.
    let noise = RgbImage::from_fn(1600, 1200, |x, y| {
        let v = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)).wrapping_mul(97);
        Rgb([(v >> 3) as u8, (v >> 11) as u8, (v >> 19) as u8])
    });
    let mut big = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut big, 100)
        .encode_image(&noise)
        .unwrap();
    assert!(big.len() > 2 * 1024 * 1024, "{} bytes", big.len());
    let r = send(big, "image/jpeg").await.unwrap();
    assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());

    let r = send(phone_photo(40, 20), "image/png").await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let e: Json = r.json().await.unwrap();
    assert_eq!(
        e["fields"]["body"],
        "says it is image/png but its content is image/jpeg"
    );

    let r = send(b"<svg onload=alert(1)>".to_vec(), "image/svg+xml")
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let r = send(b"GIF89a but nothing after".to_vec(), "image/gif")
        .await
        .unwrap();
    assert_eq!(
        r.status().as_u16(),
        422,
        "a broken picture is refused, not kept"
    );
    let r = send(phone_photo(40, 20), "text/html").await.unwrap();
    assert_eq!(r.status().as_u16(), 422);

    let moderator = app.token(Role::Moderator).await;
    let r = app
        .client
        .post(app.url("/api/v1/media"))
        .bearer_auth(&moderator)
        .header("content-type", "image/jpeg")
        .body(phone_photo(40, 20))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
}

async fn past_its_own_limits_a_picture_is_refused_before_it_is_read(app: TestApp) {
    let limited = TestApp::spawn_with(app.backend(), |c| {
        c.pictures.max_bytes = 10_000;
        c.pictures.max_pixels = 100 * 100;
    })
    .await;
    let send = |body: Vec<u8>| {
        limited
            .client
            .post(limited.url("/api/v1/media"))
            .bearer_auth(&limited.editor)
            .header("content-type", "image/jpeg")
            .body(body)
            .send()
    };
    let r = send(vec![0xFF; 20_000]).await.unwrap();
    assert_eq!(r.status().as_u16(), 413);
    let r = send(phone_photo(200, 100)).await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let e: Json = r.json().await.unwrap();
    assert!(
        e["fields"]["body"]
            .as_str()
            .unwrap()
            .contains("200×100 pixels"),
        "{e}"
    );
}

async fn only_editors_change_the_words_under_a_picture_a_story_shows(app: TestApp) {
    let r = app
        .client
        .post(app.url("/api/v1/media?alt=A%20crane"))
        .bearer_auth(&app.editor)
        .header("content-type", "image/jpeg")
        .body(phone_photo(64, 32))
        .send()
        .await
        .unwrap();
    let p: Json = r.json().await.unwrap();
    let name = p["name"].as_str().unwrap().to_string();
    let mut s = story("Crane arrives at the quay");
    s["hero"] = json!({"url": p["url"], "alt": "A crane", "caption": "", "credit": ""});
    app.create(s).await;
    let writer = Desk::log_in(&app, "cleo@example.org", Role::Contributor).await;
    let csrf = writer.csrf().await;
    let r = writer
        .post(
            &format!("/admin/media/{name}"),
            &[
                ("csrf", &csrf),
                ("alt", "A crane"),
                ("caption", "FAKE caption"),
                ("credit", ""),
            ],
        )
        .await;
    assert_eq!(
        r.status().as_u16(),
        403,
        "a contributor does not change what another's story says"
    );
    let (_, page) = app.get_text("/news/crane-arrives-at-the-quay").await;
    assert!(!page.contains("FAKE caption"));
    let editor = Desk::log_in(&app, "ed@example.org", Role::Editor).await;
    let ecsrf = editor.csrf().await;
    let r = editor
        .post(
            &format!("/admin/media/{name}"),
            &[
                ("csrf", &ecsrf),
                ("alt", "A crane"),
                ("caption", "The new crane at dawn"),
                ("credit", "Lena Ortiz"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, page) = app.get_text("/news/crane-arrives-at-the-quay").await;
    assert!(
        page.contains("The new crane at dawn") && page.contains("Lena Ortiz"),
        "the library's words, edited in one place"
    );
    let (_, library) = editor.get(&format!("/admin/media?q={name}")).await;
    assert!(
        library.contains("Crane arrives at the quay"),
        "where it is used"
    );
    let r = editor
        .post(
            &format!("/admin/media/{name}/delete"),
            &[("csrf", &ecsrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(
        r.status().as_u16(),
        409,
        "a picture a story shows is not deleted"
    );

    // Words past their limits, and a side longer than WebP holds, are refused at upload.
    let long_alt = "a".repeat(301);
    let r = app
        .client
        .post(app.url(&format!("/api/v1/media?alt={long_alt}")))
        .bearer_auth(&app.editor)
        .header("content-type", "image/jpeg")
        .body(phone_photo(40, 20))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let mut tall = Vec::new();
    DynamicImage::ImageRgb8(RgbImage::new(4, 17_000))
        .write_to(&mut Cursor::new(&mut tall), image::ImageFormat::Png)
        .unwrap();
    let r = app
        .client
        .post(app.url("/api/v1/media"))
        .bearer_auth(&app.editor)
        .header("content-type", "image/png")
        .body(tall)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let e: Json = r.json().await.unwrap();
    assert!(
        e["fields"]["body"].as_str().unwrap().contains("16383"),
        "{e}"
    );
}

on_both_stores!(
    only_editors_change_the_words_under_a_picture_a_story_shows,
    a_phone_photo_uploaded_in_the_editor_is_upright_placeless_and_in_every_width,
    every_node_serves_every_picture,
    a_photo_straight_from_a_phone_fits_and_what_lies_is_refused,
    past_its_own_limits_a_picture_is_refused_before_it_is_read,
);
