#!/usr/bin/env python3
"""Deterministic benchmark data: Airbyte messages (JSONL), their configured catalogs, and the same
rows as CSV for the databases' own loaders.

usage: generate.py --shape users|wide|many-streams [--records N] [--seed 1] --out DIR
                   [--streams 1000] [--mode append|dedupe|both] [--no-csv] [--jobs N]
                   [--second-sync PERCENT]

writes, in DIR:
  messages.jsonl        RECORD lines; a STREAM STATE after every 10,000th record of a stream and
                        after its last record; a STREAM_STATUS COMPLETE per stream at the end
  catalog.json          the configured catalog, destination_sync_mode append   (--mode append|both)
  catalog-dedupe.json   the same streams as append_dedup, primary key [id],
                        cursor [updated_at]                                     (--mode dedupe|both)
  csv/<stream>.csv      per stream: a header and one line per record, the user columns in catalog
                        order; NULL is an empty field, an empty string is "", objects and arrays
                        are their compact JSON text; RFC 4180 quoting, LF line ends   (unless --no-csv)
  second-sync/          with --second-sync PERCENT: the next incremental sync of the same streams,
                        PERCENT% of each stream's records (messages.jsonl and catalog-dedupe.json,
                        sync_id 2): half of them update existing keys (spread evenly over the keys,
                        with a newer cursor: updated_at in 2027, the first sync's are in 2025), half
                        add keys after the last one; other values are drawn as in the first sync
  manifest.json         what was generated (written last: its presence means the data is complete)

Shapes: users (12 fields: nested object, array, timestamps with offsets, decimals, dates, nulls,
non-ASCII text), wide (200 mixed-type columns), many-streams (--streams streams with 6 columns,
records interleaved round-robin; --records is the total over all streams).

The output depends only on (shape, records, streams, seed), never on --jobs: every value is drawn
from per-column pools built from the seed, indexed by random numbers from one generator per chunk of
records whose seed is (seed, shape, chunk number). Chunks are generated on all cores.
"""
import argparse
import json
import os
import random
import struct
import sys
import time
from multiprocessing import get_context

STATE_EVERY = 10_000
EMITTED_AT = 1_732_500_000_000
# Stands for the record's number in a pooled piece; JSON and CSV text of real values never hold it.
N = "\x00"


def jstr(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def csv_field(text):
    if text is None:
        return ""
    if text == "" or any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


class Column:
    """A column's schema and a pool of 2^bits values, each as a JSON member and a CSV field."""

    def __init__(self, name, schema, values, bits):
        self.name = name
        self.schema = schema
        self.mask = (1 << bits) - 1
        if len(values) != 1 << bits:
            raise ValueError(f"{name}: pool of {len(values)} values, expected {1 << bits}")
        key = jstr(name) + ":"
        self.json = [key + (_json_value(v)) for v in values]
        self.csv = [_csv_value(v) for v in values]


class WithN:
    """A string value holding the record's number: prefix + n + suffix."""

    def __init__(self, prefix, suffix=""):
        self.prefix = prefix
        self.suffix = suffix


def _json_value(v):
    if isinstance(v, WithN):
        return jstr(v.prefix + N + v.suffix).replace("\\u0000", N)
    if isinstance(v, Raw):
        return v.text
    return jstr(v)


def _csv_value(v):
    if isinstance(v, WithN):
        return csv_field(v.prefix + N + v.suffix)
    if v is None:
        return ""
    if isinstance(v, Raw):
        return csv_field(v.text)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        return csv_field(jstr(v))
    return csv_field(str(v))


class Raw:
    """A value already in JSON text (numbers with a fixed number of decimals)."""

    def __init__(self, text):
        self.text = text


# ---- value pools ---------------------------------------------------------------------------------

FIRST = ["Ada", "Grace", "Alan", "Katherine", "Edsger", "Barbara", "Donald", "Margaret", "Linus", "Frances",
         "Zoë", "José", "Søren", "Chloé", "Łukasz", "Nguyễn", "Ana-María", "Renée", "Björn", "Aoife",
         "美咲", "Дмитрий", "Mary \"Molly\"", "Ngozi", "Priya", "Kenji", "Fatima", "Olu", "Ines", "Mateo",
         "Hannah", "Yusuf"]
LAST = ["Lovelace", "Hopper", "Turing", "Johnson", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Torvalds",
        "Allen", "O'Neil", "Smith, Jr.", "Müller", "García", "van der Berg", "Okafor", "Nakamura", "Kowalski",
        "Ivanova", "Dubois", "Rossi", "Chen", "Singh", "Haddad", "Silva", "Kim", "Andersson", "Nowak", "Costa",
        "Murphy", "Schmidt", "Yilmaz"]
ASCII_FIRST = [f for f in FIRST if f.isascii() and f.isalpha()]
DOMAINS = ["@example.com", "@example.org", "@mail.example.net"]
COUNTRIES = ["GB", "US", "DE", "FR", "IN", "BR", "JP", "NG", "CA", "AU", "ES", "IT", "MX", "KR", "SE"]
CITIES = ["London", "Paris", "Lagos", "Osaka", "München", "São Paulo", "Kraków", "Reykjavík", "New York", "東京"]
STREETS = ["Main St", "High Street", "Rue de Rivoli", "Hauptstraße", "Calle Mayor", "Baker Street", "Elm Ave"]
TAGS = ["vip", "early", "beta", "churned", "trial", "partner", "b2b", "newsletter"]
OFFSETS = ["Z", "+00:00", "+02:00", "-05:00", "+05:30", "+09:00", "-03:00", "+01:00"]
WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta", "kappa", "lambda", "sigma",
         "omega", "naïve", "café", "über", "a, b", "say \"hi\"", "x'y", "tab\there", "line\nbreak", ""]


def maybe_null(rng, rate, value):
    return None if rng.random() < rate else value


def ts_with_offset(rng, year_from, year_to, fraction):
    y = rng.randint(year_from, year_to)
    frac = f".{rng.randint(0, 999999):06d}" if fraction else ""
    return (f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:"
            f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}{frac}{rng.choice(OFFSETS)}")


def a_date(rng, year_from, year_to):
    return f"{rng.randint(year_from, year_to)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def a_decimal(rng, digits, scale):
    value = rng.randint(-(10 ** digits) // 20, 10 ** digits)
    text = str(abs(value)).rjust(scale + 1, "0")
    return Raw(("-" if value < 0 else "") + text[:-scale] + "." + text[-scale:])


def users_columns(rng):
    def pool(bits, make):
        return [make() for _ in range(1 << bits)]

    return [
        Column("id", {"type": "integer"}, [Raw(N)], 0),
        Column("name", {"type": ["null", "string"]},
               pool(10, lambda: maybe_null(rng, 0.02, WithN(f"{rng.choice(FIRST)} {rng.choice(LAST)} "))), 10),
        Column("email", {"type": ["null", "string"]},
               pool(8, lambda: WithN(f"{rng.choice(ASCII_FIRST).lower()}.", rng.choice(DOMAINS))), 8),
        Column("age", {"type": ["null", "integer"]}, pool(8, lambda: maybe_null(rng, 0.05, rng.randint(18, 90))), 8),
        Column("balance", {"type": ["null", "number"]}, pool(16, lambda: maybe_null(rng, 0.03, a_decimal(rng, 6, 2))), 16),
        Column("active", {"type": ["null", "boolean"]}, pool(8, lambda: maybe_null(rng, 0.02, rng.random() < 0.8)), 8),
        Column("created_at", {"type": "string", "format": "date-time", "airbyte_type": "timestamp_with_timezone"},
               pool(16, lambda: ts_with_offset(rng, 2018, 2024, False)), 16),
        Column("updated_at", {"type": "string", "format": "date-time", "airbyte_type": "timestamp_with_timezone"},
               pool(16, lambda: ts_with_offset(rng, 2025, 2025, True)), 16),
        Column("birthday", {"type": ["null", "string"], "format": "date"},
               pool(16, lambda: maybe_null(rng, 0.1, a_date(rng, 1940, 2007))), 16),
        Column("country", {"type": ["null", "string"]}, pool(8, lambda: maybe_null(rng, 0.05, rng.choice(COUNTRIES))), 8),
        Column("address", {"type": ["null", "object"], "properties": {
                   "street": {"type": "string"}, "city": {"type": "string"}, "zip": {"type": "string"}}},
               pool(14, lambda: maybe_null(rng, 0.05, {"street": f"{rng.randint(1, 999)} {rng.choice(STREETS)}",
                                                       "city": rng.choice(CITIES),
                                                       "zip": f"{rng.randint(10000, 99999)}"})), 14),
        Column("tags", {"type": ["null", "array"], "items": {"type": "string"}},
               pool(8, lambda: maybe_null(rng, 0.1, rng.sample(TAGS, rng.randint(0, 3)))), 8),
    ]


# The wide shape's column types, repeated: 20% integers, 20% numbers, 30% strings, 10% booleans,
# 10% timestamps, 5% dates, 5% objects and arrays.
WIDE_CYCLE = ["int", "num", "str", "bool", "ts", "int", "num", "str", "str", "date",
              "int", "num", "str", "bool", "ts", "int", "num", "str", "str", "json"]
WIDE_COLUMNS = 200


def wide_columns(rng):
    bits = 10

    def pool(make, null_rate=0.05):
        return [maybe_null(rng, null_rate, make()) for _ in range(1 << bits)]

    def word_string():
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))

    columns = [
        Column("id", {"type": "integer"}, [Raw(N)], 0),
        Column("updated_at", {"type": "string", "format": "date-time", "airbyte_type": "timestamp_with_timezone"},
               pool(lambda: ts_with_offset(rng, 2025, 2025, True), 0), bits),
    ]
    for i in range(WIDE_COLUMNS - len(columns)):
        kind = WIDE_CYCLE[i % len(WIDE_CYCLE)]
        name = f"{kind}_{i:03d}"
        if kind == "int":
            columns.append(Column(name, {"type": ["null", "integer"]}, pool(lambda: rng.randint(-10**12, 10**12)), bits))
        elif kind == "num":
            columns.append(Column(name, {"type": ["null", "number"]}, pool(lambda: a_decimal(rng, 8, 4)), bits))
        elif kind == "str":
            columns.append(Column(name, {"type": ["null", "string"]}, pool(word_string), bits))
        elif kind == "bool":
            columns.append(Column(name, {"type": ["null", "boolean"]}, pool(lambda: rng.random() < 0.5), bits))
        elif kind == "ts":
            columns.append(Column(name, {"type": ["null", "string"], "format": "date-time"},
                                  pool(lambda: ts_with_offset(rng, 2000, 2030, rng.random() < 0.5)), bits))
        elif kind == "date":
            columns.append(Column(name, {"type": ["null", "string"], "format": "date"},
                                  pool(lambda: a_date(rng, 1950, 2030)), bits))
        elif (i // len(WIDE_CYCLE)) % 2 == 0:
            columns.append(Column(name, {"type": ["null", "object"]},
                                  pool(lambda: {"k": rng.choice(WORDS), "v": rng.randint(0, 1000)}), bits))
        else:
            columns.append(Column(name, {"type": ["null", "array"], "items": {"type": "integer"}},
                                  pool(lambda: [rng.randint(0, 99) for _ in range(rng.randint(0, 5))]), bits))
    return columns


def many_streams_columns(rng):
    def pool(bits, make, null_rate=0.05):
        return [maybe_null(rng, null_rate, make()) for _ in range(1 << bits)]

    return [
        Column("id", {"type": "integer"}, [Raw(N)], 0),
        Column("updated_at", {"type": "string", "format": "date-time", "airbyte_type": "timestamp_with_timezone"},
               pool(12, lambda: ts_with_offset(rng, 2025, 2025, True), 0), 12),
        Column("name", {"type": ["null", "string"]}, pool(10, lambda: f"{rng.choice(FIRST)} {rng.choice(LAST)}"), 10),
        Column("amount", {"type": ["null", "number"]}, pool(12, lambda: a_decimal(rng, 7, 2)), 12),
        Column("active", {"type": ["null", "boolean"]}, pool(4, lambda: rng.random() < 0.7), 4),
        Column("attributes", {"type": ["null", "object"]},
               pool(10, lambda: {"plan": rng.choice(["free", "pro", "team"]), "seats": rng.randint(1, 500)}), 10),
    ]


# name: (columns builder, number of streams (None: --streams), default total records, records per chunk)
SHAPES = {
    "users": (users_columns, 1, 1_000_000, 10_000),
    "wide": (wide_columns, 1, 100_000, 1_000),
    "many-streams": (many_streams_columns, None, 5_000_000, 20_000),
}


# ---- generation ----------------------------------------------------------------------------------

def spread(records, streams):
    """Records per stream when `records` are dealt round-robin over `streams`."""
    return [records // streams + (1 if s < records % streams else 0) for s in range(streams)]


class Plan:
    def __init__(self, shape, records, streams, seed, csv, second_sync_percent=None):
        build, fixed_streams, _, chunk = SHAPES[shape]
        self.shape = shape
        self.streams = fixed_streams or streams
        self.seed = seed
        self.csv = csv
        self.chunk = chunk
        self.columns = build(random.Random(f"{seed}/{shape}/pools"))
        self.names = [shape_stream_name(shape, s, self.streams) for s in range(self.streams)]
        self.heads = ['{"type":"RECORD","record":{"stream":' + jstr(name) + ',"data":{' for name in self.names]
        self.sync_id = 1
        self.emitted_from = EMITTED_AT
        self.keys = None  # record number -> key, per stream (None: the record number is the key)
        self.chunk_tag = "chunk"
        if second_sync_percent is not None:
            first = spread(records, self.streams)
            records = max(self.streams, records * second_sync_percent // 100)
            self.sync_id = 2
            self.chunk_tag = "second-sync-chunk"
            self.emitted_from = EMITTED_AT + len(first) * max(first) + 1
            self.columns = [newer_cursor(c, random.Random(f"{seed}/{shape}/second-sync-pools")) for c in self.columns]
            self.keys = [second_sync_keys(first[s], count) for s, count in enumerate(spread(records, self.streams))]
        self.records = records
        self.counts = spread(records, self.streams)

    def chunks(self):
        return [(c, c * self.chunk, min(self.records, (c + 1) * self.chunk))
                for c in range((self.records + self.chunk - 1) // self.chunk)]


def newer_cursor(column, rng):
    """The cursor column of a second sync: every value later than the first sync's (2025), whatever the offsets."""
    if column.name != "updated_at":
        return column
    bits = column.mask.bit_length()
    return Column(column.name, column.schema, [ts_with_offset(rng, 2027, 2027, True) for _ in range(1 << bits)], bits)


def second_sync_keys(existing, count):
    """Keys of a second sync's `count` records into a stream holding keys 1..existing: odd records
    update existing keys, spread evenly; even records add the keys after the last."""
    updates = (count + 1) // 2
    stride = max(1, existing // updates)

    def key(n):
        return (n + 1) // 2 * stride if n % 2 == 1 else existing + n // 2

    return key


def shape_stream_name(shape, s, streams):
    if streams == 1:
        return shape
    return f"stream_{s:0{len(str(streams - 1))}d}"


def state_line(name, n):
    return ('{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":' + jstr(name)
            + '},"stream_state":{"cursor":' + str(n) + "}}}}\n")


PLAN = None  # set in the parent before the workers fork, so the pools are built once


def make_chunk(task):
    chunk, start, end = task
    plan = PLAN
    rng = random.Random(f"{plan.seed}/{plan.shape}/{plan.chunk_tag}/{chunk}")
    columns = plan.columns
    jpools = [c.json for c in columns]
    cpools = [c.csv for c in columns]
    masks = [c.mask for c in columns]
    unpack = struct.Struct(f"<{len(columns)}H").unpack
    draw = rng.randbytes
    width = 2 * len(columns)
    streams, names, heads, counts, keys = plan.streams, plan.names, plan.heads, plan.counts, plan.keys
    out = []
    csv_out = [[] for _ in range(streams)] if plan.csv else None
    for k in range(start, end):
        s = k % streams
        n = k // streams + 1
        sn = str(n if keys is None else keys[s](n))
        u = unpack(draw(width))
        out.append((heads[s] + ",".join([p[x & m] for p, m, x in zip(jpools, masks, u)])
                    + '},"emitted_at":' + str(plan.emitted_from + k) + "}}\n").replace(N, sn))
        if csv_out is not None:
            csv_out[s].append(",".join([p[x & m] for p, m, x in zip(cpools, masks, u)]).replace(N, sn))
        if n % STATE_EVERY == 0 or n == counts[s]:
            out.append(state_line(names[s], n))
    csv_bytes = None
    if csv_out is not None:
        csv_bytes = {s: ("\n".join(lines) + "\n").encode() for s, lines in enumerate(csv_out) if lines}
    return "".join(out).encode(), csv_bytes


def catalog(plan, dedupe):
    entries = []
    for name in plan.names:
        schema = {"type": "object", "properties": {c.name: c.schema for c in plan.columns}}
        entries.append({
            "stream": {"name": name, "json_schema": schema, "supported_sync_modes": ["full_refresh", "incremental"],
                       "source_defined_cursor": True, "default_cursor_field": ["updated_at"],
                       "source_defined_primary_key": [["id"]]},
            "sync_mode": "incremental",
            "cursor_field": ["updated_at"],
            "destination_sync_mode": "append_dedup" if dedupe else "append",
            "primary_key": [["id"]],
            "generation_id": 1,
            "minimum_generation_id": 0,
            "sync_id": plan.sync_id,
        })
    return {"streams": entries}


class CsvFiles:
    """One CSV per stream. With many streams, lines are buffered and appended in large writes rather
    than keeping a thousand files open."""

    def __init__(self, folder, plan):
        os.makedirs(folder, exist_ok=True)
        self.paths = [os.path.join(folder, name + ".csv") for name in plan.names]
        self.pending = [bytearray(",".join(c.name for c in plan.columns).encode() + b"\n") for _ in plan.names]
        for path in self.paths:
            open(path, "wb").close()
        self.limit = (8 << 20) // max(1, len(self.paths)) + (64 << 10)

    def add(self, s, data):
        self.pending[s] += data
        if len(self.pending[s]) >= self.limit:
            self.flush(s)

    def flush(self, s):
        if self.pending[s]:
            with open(self.paths[s], "ab") as f:
                f.write(self.pending[s])
            self.pending[s] = bytearray()

    def close(self):
        for s in range(len(self.paths)):
            self.flush(s)


def write_sync(plan, folder, modes, jobs):
    """One sync's messages.jsonl, its catalogs (modes: append, dedupe) and, if the plan has them, its CSV files."""
    global PLAN
    PLAN = plan
    os.makedirs(folder, exist_ok=True)
    for mode, file in (("append", "catalog.json"), ("dedupe", "catalog-dedupe.json")):
        if mode in modes:
            with open(os.path.join(folder, file), "w") as f:
                json.dump(catalog(plan, mode == "dedupe"), f, indent=1)

    csv_files = CsvFiles(os.path.join(folder, "csv"), plan) if plan.csv else None
    tasks = plan.chunks()
    with open(os.path.join(folder, "messages.jsonl"), "wb", buffering=1 << 20) as messages:
        def consume(results):
            for data, csv in results:
                messages.write(data)
                if csv_files is not None:
                    for s, lines in csv.items():
                        csv_files.add(s, lines)

        if jobs > 1 and len(tasks) > 1:
            with get_context("fork").Pool(jobs) as pool:
                consume(pool.imap(make_chunk, tasks, chunksize=1))
        else:
            consume(map(make_chunk, tasks))
        for name in plan.names:
            messages.write(('{"type":"TRACE","trace":{"type":"STREAM_STATUS","emitted_at":' + str(plan.emitted_from)
                            + ',"stream_status":{"stream_descriptor":{"name":' + jstr(name)
                            + '},"status":"COMPLETE"}}}\n').encode())
    if csv_files is not None:
        csv_files.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", default="users", choices=list(SHAPES))
    parser.add_argument("--records", type=int, help="total records (default: users 1M, wide 100k, many-streams 5M)")
    parser.add_argument("--streams", type=int, default=1000, help="streams of the many-streams shape")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mode", default="both", choices=["append", "dedupe", "both"], help="which catalogs to write")
    parser.add_argument("--no-csv", action="store_true", help="skip the CSV files")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", required=True)
    parser.add_argument("--second-sync", type=int, metavar="PERCENT",
                        help="also write second-sync/: the next dedupe sync, PERCENT%% of the records (half updates, half new keys)")
    args = parser.parse_args()
    records = args.records if args.records is not None else SHAPES[args.shape][2]
    if records < 1 or args.streams < 1:
        parser.error("--records and --streams must be positive")
    if args.second_sync is not None and not 0 < args.second_sync <= 100:
        parser.error("--second-sync must be a percentage from 1 to 100")

    started = time.monotonic()
    os.makedirs(args.out, exist_ok=True)
    manifest_path = os.path.join(args.out, "manifest.json")
    if os.path.exists(manifest_path):
        os.remove(manifest_path)
    plan = Plan(args.shape, records, args.streams, args.seed, not args.no_csv)
    write_sync(plan, args.out, ("append", "dedupe") if args.mode == "both" else (args.mode,), args.jobs)
    messages_path = os.path.join(args.out, "messages.jsonl")
    second = None
    if args.second_sync is not None:
        second_plan = Plan(args.shape, records, args.streams, args.seed, False, args.second_sync)
        folder = os.path.join(args.out, "second-sync")
        write_sync(second_plan, folder, ("dedupe",), args.jobs)
        second = {"percent": args.second_sync, "records": second_plan.records,
                  "messages_bytes": os.path.getsize(os.path.join(folder, "messages.jsonl"))}

    manifest = {
        "shape": args.shape, "records": records, "streams": plan.streams, "seed": args.seed,
        "columns": [c.name for c in plan.columns], "stream_names": plan.names if plan.streams <= 10 else None,
        "messages_bytes": os.path.getsize(messages_path), "csv": plan.csv,
        "second_sync": second, "seconds": round(time.monotonic() - started, 2),
    }
    with open(manifest_path + ".tmp", "w") as f:
        json.dump(manifest, f, indent=1)
    os.replace(manifest_path + ".tmp", manifest_path)
    print(f"{args.shape}: {records} records, {plan.streams} stream(s), "
          f"{manifest['messages_bytes'] / 1e6:.1f} MB in {manifest['seconds']} s -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
