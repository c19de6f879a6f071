// The web page's files (cmd/web/: index.html, app.js, style.css), embedded
// in the binary at build time by cmake/EmbedFiles.cmake, so the page needs
// no files beside the binary and no network.
//
// Thread-safety: immutable data; safe from any thread.
#pragma once

#include <string_view>

namespace flashpoint::daemon {

struct WebAsset {
  std::string_view path;          // "/", "/index.html", "/app.js", ...
  std::string_view content_type;  // "text/html; charset=utf-8", ...
  std::string_view body;
};

// The asset served at `path` (no query string), or nullptr.
const WebAsset* find_web_asset(std::string_view path);

}  // namespace flashpoint::daemon
