#!/usr/bin/env python3
"""Deterministic benchmark data: Airbyte messages (JSONL) and their configured catalog.

usage: generate.py --shape users --records 1000000 --seed 1 --out DIR
writes DIR/messages.jsonl (a STATE every 10,000 records, COMPLETE statuses at the end) and
DIR/catalog.json.
"""
import argparse
import json
import os
import random

USERS_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": ["null", "string"]},
        "email": {"type": ["null", "string"]},
        "age": {"type": ["null", "integer"]},
        "balance": {"type": ["null", "number"]},
        "active": {"type": ["null", "boolean"]},
        "created_at": {"type": "string", "format": "date-time", "airbyte_type": "timestamp_with_timezone"},
        "updated_at": {"type": "string", "format": "date-time", "airbyte_type": "timestamp_with_timezone"},
        "birthday": {"type": ["null", "string"], "format": "date"},
        "country": {"type": ["null", "string"]},
        "address": {"type": ["null", "object"], "properties": {"street": {"type": "string"}, "city": {"type": "string"}, "zip": {"type": "string"}}},
        "tags": {"type": ["null", "array"], "items": {"type": "string"}},
    },
}

NAMES = ["ada", "grace", "alan", "katherine", "edsger", "barbara", "donald", "margaret", "linus", "frances"]
COUNTRIES = ["GB", "US", "DE", "FR", "IN", "BR", "JP", "NG", "CA", "AU"]
TAGS = ["vip", "early", "beta", "churned", "trial", "partner"]


def users_record(rng, i):
    name = rng.choice(NAMES)
    return {
        "id": i,
        "name": f"{name.title()} {i}",
        "email": f"{name}.{i}@example.com",
        "age": rng.randint(18, 90),
        "balance": round(rng.uniform(0, 10000), 2),
        "active": rng.random() < 0.8,
        "created_at": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z",
        "updated_at": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}.{rng.randint(0, 999999):06d}+02:00",
        "birthday": f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "country": rng.choice(COUNTRIES),
        "address": {"street": f"{rng.randint(1, 999)} Main St", "city": rng.choice(["London", "Paris", "Lagos", "Osaka"]), "zip": f"{rng.randint(10000, 99999)}"},
        "tags": rng.sample(TAGS, rng.randint(0, 3)),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shape", default="users", choices=["users"])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    stream = "users"
    catalog = {"streams": [{
        "stream": {"name": stream, "json_schema": USERS_SCHEMA, "supported_sync_modes": ["full_refresh", "incremental"]},
        "sync_mode": "incremental", "cursor_field": ["updated_at"], "destination_sync_mode": "append",
        "primary_key": [["id"]], "generation_id": 1, "minimum_generation_id": 0, "sync_id": 1}]}
    with open(os.path.join(args.out, "catalog.json"), "w") as f:
        json.dump(catalog, f, indent=2)
    emitted = 1_732_500_000_000
    with open(os.path.join(args.out, "messages.jsonl"), "w") as f:
        for i in range(1, args.records + 1):
            record = {"type": "RECORD", "record": {"stream": stream, "data": users_record(rng, i), "emitted_at": emitted + i}}
            f.write(json.dumps(record, separators=(",", ":")))
            f.write("\n")
            if i % 10_000 == 0:
                state = {"type": "STATE", "state": {"type": "STREAM", "stream": {"stream_descriptor": {"name": stream}, "stream_state": {"cursor": i}}}}
                f.write(json.dumps(state, separators=(",", ":")) + "\n")
        status = {"type": "TRACE", "trace": {"type": "STREAM_STATUS", "emitted_at": emitted, "stream_status": {"stream_descriptor": {"name": stream}, "status": "COMPLETE"}}}
        f.write(json.dumps(status, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
