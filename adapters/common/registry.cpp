// Decoder registry: format names to decoders, and format detection.
#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "flashpoint/adapters/decoder.hpp"
#include "jsonl/jsonl_decoder.hpp"

namespace flashpoint::adapters {
namespace {

// File-name suffixes (compared case-insensitively) that name a format.
struct SuffixRule {
  std::string_view suffix;
  std::string_view format;
};
constexpr std::array kSuffixRules = {
    SuffixRule{".export.csv", "gdelt"},
    SuffixRule{".jsonl", "jsonl"},
    SuffixRule{".ndjson", "jsonl"},
    SuffixRule{".json", "jsonl"},
};

// Field counts of a GDELT event export line: 1.0 daily (57), 1.0 with the
// source URL (58) and 2.0 (61), tab-separated.
constexpr std::array<std::size_t, 3> kGdeltFieldCounts = {57, 58, 61};

constexpr char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool ends_with_icase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  const std::string_view tail = s.substr(s.size() - suffix.size());
  return std::equal(tail.begin(), tail.end(), suffix.begin(),
                    [](char a, char b) { return to_lower(a) == to_lower(b); });
}

std::string_view format_by_name(std::string_view path) {
  for (const auto& rule : kSuffixRules) {
    if (ends_with_icase(path, rule.suffix)) return rule.format;
  }
  return {};
}

bool looks_like_jsonl(std::string_view head) {
  const std::size_t i = head.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && head[i] == '{';
}

bool looks_like_gdelt(std::string_view head) {
  const std::string_view first_line = head.substr(0, head.find('\n'));
  const auto fields =
      static_cast<std::size_t>(std::count(first_line.begin(), first_line.end(), '\t')) + 1;
  return std::find(kGdeltFieldCounts.begin(), kGdeltFieldCounts.end(), fields) !=
         kGdeltFieldCounts.end();
}

std::string_view format_by_content(std::string_view head) {
  if (looks_like_jsonl(head)) return "jsonl";
  if (looks_like_gdelt(head)) return "gdelt";
  return {};
}

}  // namespace

std::unique_ptr<Decoder> make_decoder(std::string_view format, const DecoderOptions& options) {
  if (format == "jsonl") return std::make_unique<JsonlDecoder>(options);
  return nullptr;
}

std::string detect_format(std::string_view path, std::string_view head) {
  if (const std::string_view f = format_by_name(path); !f.empty()) return std::string(f);
  if (const std::string_view f = format_by_content(head); !f.empty()) return std::string(f);
  return "jsonl";
}

}  // namespace flashpoint::adapters
