// The handle codec lives beside the inline lookup that decodes with it (<smapi/detail/>).
#ifndef SMAPI_HANDLE_CODEC_H_
#define SMAPI_HANDLE_CODEC_H_

#include <smapi/detail/handle_codec.h>

#endif  // SMAPI_HANDLE_CODEC_H_
