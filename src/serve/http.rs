//! The HTTP side of `boke serve`: files of the private build, path checks, the live-reload
//! script added to HTML responses, and the Server-Sent Events that tell pages to reload.

use super::{Notice, Shared};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::Stream;
use std::convert::Infallible;
use std::sync::Arc;
use tokio_stream::StreamExt;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

const LIVERELOAD_JS: &str = include_str!("livereload.js");
pub(super) const EVENTS_PATH: &str = "/__boke/events";

pub(super) async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let current = shared
        .error
        .lock()
        .ok()
        .and_then(|e| e.clone())
        .map(Notice::BuildError);
    let updates = tokio_stream::wrappers::BroadcastStream::new(shared.notices.subscribe())
        .filter_map(Result::ok);
    let mut shutdown = shared.shutdown.clone();
    let stream = tokio_stream::iter(current).chain(updates).map(|n| {
        Ok(match n {
            // Browsers drop events without data, so every event carries some.
            Notice::Reload => SseEvent::default().event("reload").data("reload"),
            Notice::Css => SseEvent::default().event("css").data("css"),
            Notice::BuildError(m) => SseEvent::default().event("builderror").data(m),
        })
    });
    // End the stream when the server stops: an open stream would keep the graceful shutdown
    // waiting for ever.
    let stop = async move {
        let _ = shutdown.wait_for(|stop| *stop).await;
    };
    Sse::new(futures_util::StreamExt::take_until(stream, stop)).keep_alive(KeepAlive::default())
}

/// Serve a file of the built site, refusing any path that could leave it.
pub(super) async fn files(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    if !is_safe_path(req.uri().path()) {
        return (StatusCode::BAD_REQUEST, "bad path\n").into_response();
    }
    let is_head = req.method() == Method::HEAD;
    let service =
        ServeDir::new(&shared.out).not_found_service(ServeFile::new(shared.out.join("404.html")));
    let response = match service.oneshot(req).await {
        Ok(r) => r.map(Body::new),
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")).into_response(),
    };
    finish(response, is_head).await
}

/// Decode the path as the file service will and refuse traversal, encoded separators, NULs and
/// invalid UTF-8, so no request can name a file outside the output.
fn is_safe_path(raw: &str) -> bool {
    let lower = raw.to_ascii_lowercase();
    if raw.contains('\\') || lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00")
    {
        return false;
    }
    let Ok(decoded) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return false;
    };
    raw.starts_with('/')
        && !decoded.contains('\0')
        && !decoded.split('/').any(|s| s == ".." || s == ".")
}

/// Add `charset=utf-8` to text types and the live-reload script to HTML pages.
async fn finish(mut response: Response, is_head: bool) -> Response {
    let Some(ctype) = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
    else {
        return response;
    };
    let textual = [
        "text/",
        "application/javascript",
        "application/xml",
        "application/json",
        "image/svg+xml",
    ];
    if !ctype.contains("charset") && textual.iter().any(|t| ctype.starts_with(t)) {
        if let Ok(v) = HeaderValue::from_str(&format!("{ctype}; charset=utf-8")) {
            response.headers_mut().insert(header::CONTENT_TYPE, v);
        }
    }
    if !ctype.starts_with("text/html")
        || !(response.status().is_success() || response.status() == StatusCode::NOT_FOUND)
    {
        return response;
    }
    let script = format!("<script>{LIVERELOAD_JS}</script>\n");
    let (mut parts, body) = response.into_parts();
    if is_head {
        if let Some(len) = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok())
        {
            parts.headers.insert(
                header::CONTENT_LENGTH,
                HeaderValue::from(len + script.len()),
            );
        }
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "cannot read page\n").into_response();
    };
    // After the document: the parser still runs it, and the page's bytes stay as built.
    let mut html = Vec::with_capacity(bytes.len() + script.len());
    html.extend_from_slice(&bytes);
    html.extend_from_slice(script.as_bytes());
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(html.len()));
    Response::from_parts(parts, Body::from(html))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/b",
            "/a%2fb",
            "/a%5cb",
            "/a\\b",
            "/a%00b",
            "/%ff",
            "/./x",
            "relative",
        ] {
            assert!(!is_safe_path(bad), "{bad}");
        }
        for good in [
            "/",
            "/posts/x/",
            "/posts/%E5%86%85%E6%A0%B8/",
            "/style.css",
            "/a..b/",
        ] {
            assert!(is_safe_path(good), "{good}");
        }
    }
}
