// SIPRI Arms Transfers Database "trade register" CSV decoder (FORMATS.md
// §3.1): one `arms_transfer` Event per deal.
//
// The file is ISO-8859-1 (a line that is valid UTF-8 is taken as UTF-8), has
// a free-text preamble, then a header line located by its content
// (`Recipient,Supplier,Year of order,...`; the unnamed `" "` columns are the
// `?` uncertainty flags of the column before them), then one deal per line,
// unquoted. A record broken by a line break inside Comments (13 + 4 fields)
// is rejoined with its next line; commas beyond the header's count are kept
// in Comments. SIPRI has no deal id, so the id is a hash of recipient,
// supplier, order year and designation (the fields a newer export does not
// revise), with an occurrence number for repeats within one file. The
// mapping is documented in docs/adapters.md.
//
// Thread-safety: one instance serves one feed from one thread.
#pragma once

#include <memory>

#include "flashpoint/adapters/decoder.hpp"

namespace flashpoint::adapters {

std::unique_ptr<Decoder> make_sipri_decoder(const DecoderOptions& options);

}  // namespace flashpoint::adapters
