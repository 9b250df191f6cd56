"""JSON text through one C encoder made once: the journal index's rows and every JSON output share it.

``json.dumps`` builds a JSONEncoder and a C encoder for every value; at a hundred
thousand records that cost as much as the records themselves.
"""

import json
from collections.abc import Callable


def json_encoder(separators: tuple[str, str] = (", ", ": ")) -> Callable[[object], str]:
    """``json.dumps(value, ensure_ascii=False, separators=...)`` as one C encoder made once (dumps makes one a value)."""
    from json import encoder

    make = getattr(encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator (another Python): the documented way
        return lambda value: json.dumps(value, ensure_ascii=False, separators=separators)
    default = json.JSONEncoder(ensure_ascii=False)
    # dumps' own arguments: no circular check (records are trees), the separators, NaN allowed, keys unsorted
    encode = make(None, default.default, encoder.encode_basestring, None, separators[1], separators[0], False, False, True)
    return lambda value: "".join(encode(value, 0))
