// ACLED CSV export decoder (FORMATS.md §2): RFC 4180 CSV with a header line
// whose column names locate the fields, so the current 31-column layout
// (2023+), the legacy 31-column layout (<= 2022, numeric actor types, iso3)
// and reordered or trimmed exports all decode. An optional UTF-8 BOM and
// CRLF line ends are accepted; quoted fields may hold commas, doubled quotes
// and line breaks. A repeated header line (concatenated exports) is skipped.
// Every data row becomes one Event or one dead letter; the mapping (event
// type -> kind, actor names -> codes, region) is in docs/adapters.md.
//
// Thread-safety: one instance serves one feed from one thread.
#pragma once

#include <memory>

#include "flashpoint/adapters/decoder.hpp"

namespace flashpoint::adapters {

std::unique_ptr<Decoder> make_acled_decoder(const DecoderOptions& options);

}  // namespace flashpoint::adapters
