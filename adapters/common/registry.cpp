// Decoder registry: format names to decoders, and format detection.
#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "acled/acled_decoder.hpp"
#include "flashpoint/adapters/decoder.hpp"
#include "gdelt/gdelt_decoder.hpp"
#include "jsonl/jsonl_decoder.hpp"
#include "sipri/sipri_decoder.hpp"

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

bool contains_icase(std::string_view s, std::string_view needle) {
  return std::search(s.begin(), s.end(), needle.begin(), needle.end(),
                     [](char a, char b) { return to_lower(a) == to_lower(b); }) != s.end();
}

// The SIPRI trade register's preamble or header (FORMATS.md §3.1).
bool looks_like_sipri(std::string_view head) {
  return contains_icase(head, "Transfers of major conventional arms") ||
         contains_icase(head, "SIPRI Arms Transfers Database") ||
         contains_icase(head, "Recipient,Supplier,Year of order");
}

// An ACLED export's header line (FORMATS.md §2), after an optional BOM.
bool looks_like_acled(std::string_view head) {
  const std::string_view first_line = head.substr(0, head.find('\n'));
  return first_line.find(',') != std::string_view::npos &&
         (contains_icase(first_line, "event_id_cnty") || contains_icase(first_line, "event_type"));
}

std::string_view format_by_content(std::string_view head) {
  if (looks_like_jsonl(head)) return "jsonl";
  if (looks_like_gdelt(head)) return "gdelt";
  if (looks_like_sipri(head)) return "sipri";
  if (looks_like_acled(head)) return "acled";
  return {};
}

}  // namespace

std::unique_ptr<Decoder> make_decoder(std::string_view format, const DecoderOptions& options) {
  if (format == "jsonl") return std::make_unique<JsonlDecoder>(options);
  if (format == "gdelt") return make_gdelt_decoder(options);
  if (format == "sipri") return make_sipri_decoder(options);
  if (format == "acled") return make_acled_decoder(options);
  return nullptr;
}

std::string detect_format(std::string_view path, std::string_view head) {
  if (const std::string_view f = format_by_name(path); !f.empty()) return std::string(f);
  if (const std::string_view f = format_by_content(head); !f.empty()) return std::string(f);
  return "jsonl";
}

}  // namespace flashpoint::adapters
