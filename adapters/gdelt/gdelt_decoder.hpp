// GDELT event export decoder (FORMATS.md §1): tab-separated rows without a
// header, one event per row, in any of the three layouts, told apart per row
// by field count: 61 (GDELT 2.0), 58 (1.0 daily) and 57 (1.0 backfile,
// without SOURCEURL). Every non-blank row becomes one Event or one dead
// letter; the mapping (CAMEO code -> kind, actors, FIPS -> ISO3, region,
// attrs) is documented in docs/adapters.md.
//
// Summit codes 040-046 come as reciprocal rows of one meeting (042 A->B with
// 043 B->A, mirrored 044 pairs). The decoder remembers recent meetings by
// (actor pair, SQLDATE, SOURCEURL); a later row of the same meeting keeps
// kind `summit` but gets the tag `mirror` and `attrs.mirror_of` naming the
// first row's id, so rules can count each meeting once.
//
// Thread-safety: one instance serves one feed from one thread.
#pragma once

#include <memory>

#include "flashpoint/adapters/decoder.hpp"

namespace flashpoint::adapters {

std::unique_ptr<Decoder> make_gdelt_decoder(const DecoderOptions& options);

}  // namespace flashpoint::adapters
