//! `POST /api/v1/chat`: fetch with the bearer header (EventSource cannot send one), then the body read as a
//! stream of Server-Sent Events, one `ChatEvent` per `data:` frame. Aborting the signal stops the fetch and the
//! server cancels the answer.

use gloo_net::http::Request;
use js_sys::{Reflect, Uint8Array};
use schemas::{ChatEvent, ChatRequest};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{ApiError, authorized, send, url};

fn read_error(error: JsValue) -> ApiError {
    let name = Reflect::get(&error, &"name".into()).ok().and_then(|name| name.as_string());
    if name.as_deref() == Some("AbortError") { ApiError::Aborted } else { ApiError::Network(format!("{error:?}")) }
}

/// Asks `request` and calls `on_event` with each event as it arrives, until the stream ends.
pub(crate) async fn chat(
    request: &ChatRequest,
    signal: &web_sys::AbortSignal,
    mut on_event: impl FnMut(ChatEvent),
) -> Result<(), ApiError> {
    let builder = authorized(Request::post(&url("/chat"))).header("Accept", "text/event-stream");
    let response = send(builder.abort_signal(Some(signal)).json(request)).await?;
    let body = response.body().ok_or_else(|| ApiError::Network("empty answer".into()))?;
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut pending: Vec<u8> = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(read_error)?;
        let done = Reflect::get(&chunk, &"done".into()).ok().and_then(|done| done.as_bool()).unwrap_or(true);
        if done {
            break;
        }
        let value = Reflect::get(&chunk, &"value".into()).map_err(read_error)?;
        // Line endings may be CRLF; JSON never holds a raw CR, so dropping them is safe.
        pending.extend(Uint8Array::new(&value).to_vec().into_iter().filter(|byte| *byte != b'\r'));
        while let Some(end) = pending.windows(2).position(|pair| pair == b"\n\n") {
            let frame: Vec<u8> = pending.drain(..end + 2).collect();
            if let Some(event) = parse_frame(&String::from_utf8_lossy(&frame)) {
                on_event(event);
            }
        }
    }
    Ok(())
}

/// Returns the event in one frame; comments (keep-alives) and unknown events give none.
fn parse_frame(frame: &str) -> Option<ChatEvent> {
    let data: Vec<&str> = frame
        .lines()
        .filter_map(|line| line.strip_prefix("data:"))
        .map(|data| data.strip_prefix(' ').unwrap_or(data))
        .collect();
    if data.is_empty() {
        return None;
    }
    serde_json::from_str(&data.join("\n")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_gives_its_event_and_comments_give_none() {
        let frame = "data: {\"type\":\"token\",\"text\":\"SELECT\"}\n\n";
        assert_eq!(parse_frame(frame), Some(ChatEvent::Token { text: "SELECT".into() }));
        assert_eq!(parse_frame(": keep-alive\n\n"), None);
        assert_eq!(parse_frame("data: {\"type\":\"unknown\"}\n\n"), None);
    }
}
