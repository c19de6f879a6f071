// GDELT event export decoder (FORMATS.md §1): tab-separated rows without a
// header, one event per row, in any of the three layouts, told apart per row
// by field count: 61 (GDELT 2.0), 58 (1.0 daily) and 57 (1.0 backfile,
// without SOURCEURL). Every non-blank row becomes one Event or one dead
// letter; the mapping (CAMEO code -> kind, actors, FIPS -> ISO3, region,
// attrs) is documented in docs/adapters.md.
//
// One meeting comes as several summit rows (036, 040-046) from one article:
// 042 A->B with 043 B->A, mirrored 044 pairs, repeated 036 rows. The decoder
// remembers recent meetings by (unordered actor pair, SQLDATE, SOURCEURL);
// the first row is a `summit`, later rows of the same meeting become
// `summit_mirror` events tagged `mirror`, with `attrs.mirror_of` naming the
// first row's id, so rules on `summit` see each meeting once.
//
// Thread-safety: one instance serves one feed from one thread.
#pragma once

#include <memory>

#include "flashpoint/adapters/decoder.hpp"

namespace flashpoint::adapters {

std::unique_ptr<Decoder> make_gdelt_decoder(const DecoderOptions& options);

}  // namespace flashpoint::adapters
