#!/usr/bin/python3
"""A minimal consumer of the recommendations topic, one JSON line per recommendation.

Needs Debian's python3-confluent-kafka and python3-avro, nothing of this project but its
schemas. Each record value is Avro single-object encoded: the two bytes C3 01, the 8-byte
little-endian CRC-64-AVRO fingerprint of the writer schema, then the Avro binary body. The
fingerprint picks the writer schema (the current one or a released older version) and the body is
read with it, resolved to the current schema.

    /usr/bin/python3 examples/python/consume_recommendations.py --bootstrap-servers localhost:9094
"""

import argparse
import io
import json
import pathlib
import sys
import uuid

import avro.io
import avro.schema
from confluent_kafka import Consumer, KafkaException

SCHEMAS = pathlib.Path(__file__).resolve().parents[2] / "schemas"
HEADER = b"\xc3\x01"
CRC64_EMPTY = 0xC15D213AA4D7A795


def _crc64_table():
    table = []
    for byte in range(256):
        fingerprint = byte
        for _ in range(8):
            fingerprint = (fingerprint >> 1) ^ (CRC64_EMPTY & -(fingerprint & 1))
        table.append(fingerprint)
    return table


CRC64_TABLE = _crc64_table()


def fingerprint(schema):
    """CRC-64-AVRO of the schema's Parsing Canonical Form, as Avro's SchemaNormalization computes it."""
    value = CRC64_EMPTY
    for byte in schema.canonical_form.encode("utf-8"):
        value = (value >> 8) ^ CRC64_TABLE[(value ^ byte) & 0xFF]
    return value


def schema_store(schemas_dir):
    """Readers by writer fingerprint: the current Recommendation schema and every released one."""
    current = avro.schema.parse((schemas_dir / "Recommendation.avsc").read_text())
    writers = [current] + [
        avro.schema.parse(path.read_text())
        for path in sorted((schemas_dir / "releases" / "Recommendation").glob("*.avsc"))
    ]
    return {fingerprint(writer): avro.io.DatumReader(writer, current) for writer in writers}


def decode(value, readers):
    """One single-object encoded record as a dict; ValueError if it is not one this reader knows."""
    if len(value) < 10 or value[:2] != HEADER:
        raise ValueError("no Avro single-object header (C3 01 and an 8-byte fingerprint)")
    writer = int.from_bytes(value[2:10], "little")
    if writer not in readers:
        raise ValueError(f"unknown writer schema fingerprint {writer:#018x}")
    return readers[writer].read(avro.io.BinaryDecoder(io.BytesIO(value[10:])))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-servers", default="localhost:9094")
    parser.add_argument("--topic", default="recommendations")
    parser.add_argument("--max-records", type=int, default=10)
    parser.add_argument("--idle-timeout", type=float, default=10.0,
                        help="stop after this many seconds without a record")
    parser.add_argument("--schemas", type=pathlib.Path, default=SCHEMAS,
                        help="the repository's schemas/ folder")
    args = parser.parse_args()

    readers = schema_store(args.schemas)
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap_servers,
        # A fresh group each run: read from the beginning, commit nothing.
        "group.id": f"recommendation-example-{uuid.uuid4()}",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        # With --delivery-guarantee EXACTLY_ONCE, only committed records are final.
        "isolation.level": "read_committed",
    })
    consumer.subscribe([args.topic])
    read = 0
    try:
        while read < args.max_records:
            message = consumer.poll(args.idle_timeout)
            if message is None:
                break
            if message.error():
                raise KafkaException(message.error())
            if message.value() is None:
                # A tombstone: the job forgot the user of this key (docs/guarantees.md).
                print(json.dumps({"tombstone": message.key().decode()}), flush=True)
                read += 1
                continue
            try:
                print(json.dumps(decode(message.value(), readers)), flush=True)
                read += 1
            except ValueError as error:
                print(f"skipped offset {message.offset()}: {error}", file=sys.stderr)
    finally:
        consumer.close()


if __name__ == "__main__":
    main()
