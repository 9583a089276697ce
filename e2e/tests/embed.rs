//! The embeds as a customer's site uses them: a page of another origin includes the banner
//! script, and Chromium shows the banner while an incident is open, keeps a dismissed one
//! away for the session, and takes the banner down once all is resolved; another page of
//! that origin frames the compact view, and Chromium draws it (no framing refusal).

use serde_json::{Value, json};
use std::time::{Duration, Instant};
use upstate_e2e::{Api, Browser, PATIENCE, Server};

/// A site of another origin: a tiny HTTP server on loopback answering `pages` by path (and 204
/// to anything else, such as the browser's favicon request). Answers its port.
async fn other_site(pages: Vec<(&'static str, String)>) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let port = listener.local_addr().expect("its address").port();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let pages = pages.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buffer = [0; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&head);
                let path = head.split_whitespace().nth(1).unwrap_or("/");
                let answer = match pages.iter().find(|(at, _)| *at == path) {
                    Some((_, html)) => format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
                         Content-Length: {}\r\nConnection: close\r\n\r\n{html}",
                        html.len()
                    ),
                    None => "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".to_owned(),
                };
                let _ = stream.write_all(answer.as_bytes()).await;
            });
        }
    });
    port
}

/// What the banner shows now (its text, its link, its close button's label and size), read
/// through its shadow root; `null` while none is shown.
const BANNER: &str = "
    const host = document.querySelector('upstate-status-banner');
    const root = host && host.shadowRoot;
    const bar = root && root.querySelector('[role=status] .bar');
    if (!bar) return null;
    const link = bar.querySelector('a');
    const close = bar.querySelector('button');
    const box = bar.getBoundingClientRect();
    return {
        text: bar.innerText,
        href: link && link.href,
        label: close.getAttribute('aria-label'),
        closeWidth: close.getBoundingClientRect().width,
        background: getComputedStyle(bar).backgroundColor,
        top: box.top,
    };";

/// Waits until the banner shows `text`; answers what it shows.
async fn banner_showing(browser: &Browser, text: &str) -> Value {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let banner = browser.execute(BANNER).await;
        if banner["text"]
            .as_str()
            .is_some_and(|shown| shown.contains(text))
        {
            return banner;
        }
        assert!(
            Instant::now() < deadline,
            "no banner showing “{text}” within {PATIENCE:?}; last {banner}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits until no banner is shown.
async fn no_banner(browser: &Browser) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let banner = browser.execute(BANNER).await;
        if banner.is_null() {
            return;
        }
        assert!(Instant::now() < deadline, "the banner stayed: {banner}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn declare(admin: &Api, title: &str, impact: &str, message: &str) -> String {
    let incident = admin
        .post(
            "/api/v1/orgs/acme/incidents",
            json!({"title": title, "status": "investigating", "impact": impact,
                   "message": message}),
        )
        .await;
    incident["id"].as_str().expect("an incident id").to_owned()
}

async fn resolve(admin: &Api, id: &str) {
    admin
        .post(
            &format!("/api/v1/orgs/acme/incidents/{id}/updates"),
            json!({"status": "resolved", "message": "Fixed."}),
        )
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_embed_script_shows_the_banner_on_another_origin_and_the_view_can_be_framed() {
    let server = Server::start().await;
    let admin = Api::register(&server, "owner@acme.test").await;
    admin
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;
    let checkout = declare(
        &admin,
        "Checkout is failing",
        "major",
        "We are investigating **failed payments**.",
    )
    .await;

    // The customer's shop: another host name and port than the status page, with CSS that
    // would hide the banner's parts if it could reach them.
    let script = server.url("/status/acme/embed.js");
    let frame = server.url("/status/acme/embed");
    let port = other_site(vec![
        (
            "/",
            format!(
                "<!doctype html><html lang=\"en\"><head><title>Acme Shop</title>\
                 <style>strong, span, a, button {{ display: none !important; }}</style>\
                 <script src=\"{script}\" data-interval=\"5\" data-position=\"top\" async>\
                 </script></head><body><h1>Acme Shop</h1></body></html>"
            ),
        ),
        (
            "/frame",
            format!(
                "<!doctype html><html lang=\"en\"><head><title>Acme Shop status</title></head>\
                 <body><h1>Our status</h1><iframe src=\"{frame}\" title=\"Acme status\" \
                 width=\"420\" height=\"220\"></iframe></body></html>"
            ),
        ),
    ])
    .await;
    let shop = format!("http://localhost:{port}/");
    assert!(!shop.starts_with(&server.url("")), "two origins");

    let browser = Browser::open().await;
    browser.goto(&shop).await;
    browser.wait_for_text("h1", "Acme Shop").await;
    let banner = banner_showing(&browser, "Checkout is failing").await;
    let text = banner["text"].as_str().unwrap();
    assert!(text.contains("Investigating"), "{text}");
    assert!(
        text.contains("We are investigating failed payments."),
        "the latest update, as plain text: {text}"
    );
    // It links to the incident's page, as the page's own summary names it.
    let summary: Value = reqwest::get(server.url("/status/acme/api/v2/summary.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(banner["href"], summary["incidents"][0]["shortlink"]);
    assert!(
        banner["href"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/status/acme/incidents/{checkout}")),
        "{banner}"
    );
    assert_eq!(banner["label"], "Dismiss this notice: Checkout is failing");
    assert!(
        banner["closeWidth"].as_f64().unwrap() > 0.0,
        "the shop's CSS does not reach into the banner: {banner}"
    );
    assert_eq!(banner["background"], "rgb(188, 76, 0)", "major: orange");
    assert_eq!(
        banner["top"].as_f64(),
        Some(0.0),
        "at the top, as the tag asks"
    );
    browser.screenshot("embed-banner").await;
    // Its contrast, names and roles hold up (axe-core reads into open shadow roots).
    assert_eq!(
        browser.accessibility_violations().await,
        Vec::<String>::new()
    );
    assert_eq!(
        browser.console_errors().await,
        Vec::<String>::new(),
        "nothing reaches the shop's console"
    );

    // Dismissed, it goes; a new incident shows; after a reload the dismissed one, though more
    // serious, stays away for the session.
    browser
        .execute(
            "document.querySelector('upstate-status-banner').shadowRoot\
             .querySelector('button').click();",
        )
        .await;
    no_banner(&browser).await;
    let search = declare(&admin, "Search is slow", "minor", "Looking into it.").await;
    banner_showing(&browser, "Search is slow").await;
    browser.goto(&shop).await;
    let banner = banner_showing(&browser, "Search is slow").await;
    assert!(
        !banner["text"]
            .as_str()
            .unwrap()
            .contains("Checkout is failing"),
        "{banner}"
    );

    // The compact view in a frame of the shop: drawn, not refused.
    browser
        .goto(&format!("http://localhost:{port}/frame"))
        .await;
    browser.wait_for_text("h1", "Our status").await;
    browser.client.enter_frame(0).await.expect("the frame");
    browser
        .wait_for_text("[data-testid=state]", "Partial system outage")
        .await;
    browser.wait_for_text("li", "Search is slow").await;
    browser.wait_for_text("li", "Checkout is failing").await;
    assert_eq!(
        browser.accessibility_violations().await,
        Vec::<String>::new()
    );
    browser.client.enter_parent_frame().await.expect("back out");
    browser.screenshot("embed-frame").await;
    assert_eq!(browser.console_errors().await, Vec::<String>::new());

    // All resolved: the banner comes down at its next look.
    browser.goto(&shop).await;
    banner_showing(&browser, "Search is slow").await;
    resolve(&admin, &checkout).await;
    resolve(&admin, &search).await;
    no_banner(&browser).await;
    browser.close().await;
}
