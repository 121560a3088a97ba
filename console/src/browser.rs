//! Small wrappers over the browser: local storage, timers, file downloads, the clipboard, printing and the
//! document's attributes. No HTTP here (that is `api`), and no component state.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|window| window.local_storage().ok().flatten())
}

/// Returns the value saved under `key` in local storage.
pub(crate) fn load(key: &str) -> Option<String> {
    storage().and_then(|storage| storage.get_item(key).ok().flatten())
}

/// Saves `value` under `key` in local storage (a full or disabled storage only loses the convenience).
pub(crate) fn save(key: &str, value: &str) {
    if let Some(storage) = storage() {
        let _ignored = storage.set_item(key, value);
    }
}

/// Removes `key` from local storage.
pub(crate) fn forget(key: &str) {
    if let Some(storage) = storage() {
        let _ignored = storage.remove_item(key);
    }
}

/// Returns the milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Waits `milliseconds` without blocking the page.
pub(crate) async fn sleep(milliseconds: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ignored = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, milliseconds);
        }
    });
    let _ignored = JsFuture::from(promise).await;
}

/// Offers `bytes` to the user as a file called `file_name`.
pub(crate) fn save_file(bytes: &[u8], file_name: &str, mime: &str) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(element) = document.create_element("a") {
        let anchor: web_sys::HtmlAnchorElement = element.unchecked_into();
        anchor.set_href(&url);
        anchor.set_download(file_name);
        if let Some(body) = document.body() {
            let _ignored = body.append_child(&anchor);
            anchor.click();
            anchor.remove();
        }
    }
    // Revoking at once can cancel the download in some browsers: give it a moment.
    wasm_bindgen_futures::spawn_local(async move {
        sleep(30_000).await;
        let _ignored = web_sys::Url::revoke_object_url(&url);
    });
}

/// Copies `text` to the clipboard; returns whether the browser accepted it.
pub(crate) async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    JsFuture::from(window.navigator().clipboard().write_text(text)).await.is_ok()
}

/// Opens the browser's print dialog (the print stylesheet keeps only the answer).
pub(crate) fn print() {
    if let Some(window) = web_sys::window() {
        let _ignored = window.print();
    }
}

/// Asks the user to confirm `question`.
pub(crate) fn confirm(question: &str) -> bool {
    web_sys::window().and_then(|window| window.confirm_with_message(question).ok()).unwrap_or(false)
}

/// Sets an attribute of the `<html>` element (`lang`, `data-theme`).
pub(crate) fn set_root_attribute(name: &str, value: Option<&str>) {
    let Some(root) = web_sys::window().and_then(|window| window.document()).and_then(|doc| doc.document_element())
    else {
        return;
    };
    let _ignored = match value {
        Some(value) => root.set_attribute(name, value),
        None => root.remove_attribute(name),
    };
}

/// Scrolls the element with `id` to its end.
pub(crate) fn scroll_to_bottom(id: &str) {
    if let Some(element) =
        web_sys::window().and_then(|window| window.document()).and_then(|doc| doc.get_element_by_id(id))
    {
        element.set_scroll_top(element.scroll_height());
    }
}

/// Returns whether the system asks for a dark theme.
pub(crate) fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|window| window.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|query| query.matches())
}
