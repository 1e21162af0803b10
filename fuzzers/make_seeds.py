#!/usr/bin/env python3
"""Writes the seed corpora under corpus/<target>/ from the readable descriptions below.

Each seed is one named file whose bytes follow the layout its target reads (fuzzers/support/
fuzz_input.h and the comment at the top of each fuzzers/<target>.cc). The name says what the seed
exercises; the contract row it aims at is in the comment beside it.

  fuzzers/make_seeds.py           rewrite the seeds (and drop seeds this script no longer makes)
  fuzzers/make_seeds.py --check [--build DIR]
                                  exit 1 if corpus/ is not what this script would write, or if
                                  a seed's bytes do not decode to what its description says
                                  (the targets' describe mode, from DIR/fuzzers; default
                                  build/default, else build/asan)

Files named by a 40-hex-digit hash (added by `ci/fuzz.sh --merge`) and everything under
regressions/ are left alone.
"""

import argparse
import os
import re
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "corpus")

# --- Field encoders: keep in step with fuzzers/support/fuzz_input.{h,cc} --------------------------


def u8(v):
    return struct.pack("<B", v)


def u16(v):
    return struct.pack("<H", v)


def u32(v):
    return struct.pack("<I", v & 0xFFFFFFFF)


def u64(v):
    return struct.pack("<Q", v & 0xFFFFFFFFFFFFFFFF)


# --- Descriptions: what each seed says it is, held against the target's describe mode -----------
# An encoder returns Enc: the bytes, and the facts they stand for, each a line of the target's
# SMAPI_DESCRIBE output (fuzzers/support/describe.h) as "op key=value ...". --check runs every seed
# through its target's describe mode and requires each fact, in order, to match a line with the
# same op that holds all of the fact's fields. The tables below are this script's own copies of
# the targets' tables: if the two drift apart, a description and its bytes disagree.


class Enc(bytes):
    """Bytes that carry the facts they encode; concatenation keeps the facts in order."""

    def __new__(cls, data, facts=()):
        enc = super().__new__(cls, data)
        enc.facts = tuple(facts)
        return enc

    def __add__(self, other):
        return Enc(bytes(self) + bytes(other), self.facts + getattr(other, "facts", ()))

    def __radd__(self, other):
        return Enc(bytes(other) + bytes(self), getattr(other, "facts", ()) + self.facts)


class Arg(bytes):
    """A string argument's bytes, with the value the target will show for it."""

    def __new__(cls, data, shown):
        arg = super().__new__(cls, data)
        arg.shown = shown
        return arg


def fact(line_op, /, **fields):
    """A line `line_op key=value ...`."""
    return (line_op,) + tuple(f"{key}={value}" for key, value in fields.items())


SHOWN_BYTES = 24


def fmt_str(data):
    text = "".join(chr(b) if 0x20 < b < 0x7F and b not in b'"\\' else f"\\x{b:02x}"
                   for b in data[:SHOWN_BYTES])
    suffix = f"...[{len(data)}]" if len(data) > SHOWN_BYTES else ""
    return f'"{text}"{suffix}'


def fmt_hex(value):
    return "0" if value == 0 else hex(value)


FLAG_NAMES = [(0x1, "MAPI_LOGON_UI"), (0x2, "MAPI_NEW_SESSION"), (0x8, "MAPI_DIALOG"),
              (0x20, "MAPI_EXTENDED"), (0x1000, "MAPI_FORCE_DOWNLOAD"),
              (0x20000, "MAPI_PASSWORD_UI")]


def fmt_flags(flags):
    if flags == 0:
        return "0"
    names = []
    for flag, name in FLAG_NAMES:
        if flags & flag:
            names.append(name)
            flags &= ~flag
    if flags:
        names.append(hex(flags))
    return "|".join(names)


LONG_PROFILE = b"profile-with-a-name-too-long-for-sso"
LONG_PASSWORD = b"password-too-long-for-the-inline-buffer"
PROFILES = ["default", "alice", "bob", "carol", "long", "nobody", "Alice", "empty"]
PASSWORDS = ["", "secret", "secretive", "s", "long", "secre", "wrong", "Secret"]
PROFILE_VALUES = {"long": LONG_PROFILE, "empty": b""}
PASSWORD_VALUES = {"long": LONG_PASSWORD}


def profile(name):
    """A profile-name argument from the table (see PROFILES)."""
    return Arg(u8(PROFILES.index(name)), fmt_str(PROFILE_VALUES.get(name, name.encode())))


def password(word):
    """A password argument from the table (see PASSWORDS)."""
    return Arg(u8(PASSWORDS.index(word)), fmt_str(PASSWORD_VALUES.get(word, word.encode())))


def raw(data):
    """A string argument with exactly these bytes (NULs and invalid UTF-8 allowed)."""
    assert len(data) <= 0x7D
    return Arg(u8(0x80 + len(data)) + data, fmt_str(data))


def long_string(length, filler):
    """A string of `length` (at most 4096) copies of one byte."""
    assert length <= 4096
    return Arg(u8(0xFE) + u16(length) + u8(filler), fmt_str(bytes([filler]) * length))


NULL = Arg(u8(0xFF), "NULL")

CAPACITIES = [4, 1, 2, 3, 8, 5, 6, 16]
MAX_GENERATIONS = [3, "max", 1, 2]


def config(capacity=4, max_generation=3, seed=0):
    """One byte: capacity, max_generation ("max" = UINT32_MAX) and seed index 0-7."""
    data = u8(CAPACITIES.index(capacity) | MAX_GENERATIONS.index(max_generation) << 3 | seed << 5)
    generations = 0xFFFFFFFF if max_generation == "max" else max_generation
    return Enc(data, [fact("provider", capacity=capacity, max_generation=generations,
                           seed=fmt_hex(0x5EED000000000001 + seed))])


WINDOW_PARAMS = [0, 1, 0xFFFF, 0xFFFFFFFF, 1 << 32, 0xA5A5A5A5DEADBEEF, (1 << 64) - 1, 1 << 63]

MAPI_LOGON_UI = 0x1
MAPI_NEW_SESSION = 0x2
MAPI_DIALOG = 0x8
MAPI_EXTENDED = 0x20
MAPI_FORCE_DOWNLOAD = 0x1000
MAPI_PASSWORD_UI = 0x20000

# --- logoff_fuzzer --------------------------------------------------------------------------------
# u32 flags, u32 reserved, u8 world, u8 kind, u8 which, [raw: u8 tag, u32 generation],
# u8 mutation [+ operand], u64 ulUIParam.
# Worlds (fuzzers/logoff_fuzzer.cc):
#   0: capacity 4, max_generation 2; live [shared, join, private], dead [1], stale [1]; slot 0 is
#      retired, so its handle word is 0 again
#   1: one slot, reissued: live [1], stale [1] (its slot is live again)
#   2: capacity 2, max_generation 1; live [the last handle of the shared session], dead [1]
#   3: capacity 8; live [shared, join, private], dead [a join]
KINDS = {"live": 0, "dead": 1, "stale": 2, "zero": 3, "raw": 4, "foreign": 5}
MUTATIONS = {"none": 0, "flip": 1, "cut32": 2, "swap": 3, "add": 4, "top": 5, "clearlow": 6,
             "xor": 7}


def mutation_fields(mutation, operand):
    """The fields describe mode shows for a handle mutation (fuzz_input.cc, ReadMutation)."""
    fields = {"mutation": mutation}
    if mutation == "flip":
        fields["operand"] = fmt_hex(operand & 63)
    elif mutation == "add":
        delta = operand & 0xFF
        delta = (delta - 256 if delta >= 128 else delta) or 1
        fields["operand"] = fmt_hex(delta & 0xFFFFFFFFFFFFFFFF)
    elif mutation == "xor":
        fields["operand"] = fmt_hex(operand)
    return fields


def logoff(world=0, kind="live", which=0, flags=0, reserved=0, mutation="none", operand=None,
           ui=0, tag=0, generation=0):
    data = u32(flags) + u32(reserved) + u8(world) + u8(KINDS[kind]) + u8(which)
    if kind == "raw":
        data += u8(tag) + u32(generation)
    data += u8(MUTATIONS[mutation])
    if mutation in ("flip", "add"):
        data += u8(operand & 0xFF)
    elif mutation == "xor":
        data += u64(operand)
    fields = {"kind": kind, "which": which}
    if kind == "raw":
        fields.update(tag=fmt_hex(tag), generation=generation)
    fields.update(mutation_fields(mutation, operand))
    fields.update(flags=fmt_flags(flags), reserved=fmt_hex(reserved), ui=fmt_hex(ui))
    return Enc(data + u64(ui), [fact("world", index=world), fact("logoff", **fields)])


LOGOFF = {
    # F5/F7: the all-zero input: world 0's first live handle, onto the shared session.
    "live-shared-handle": Enc(b"", [fact("world", index=0),
                                     fact("logoff", kind="live", which=0, mutation="none",
                                          flags=0, reserved=0, ui=0)]),
    "live-join-handle": logoff(which=1),
    "live-private-handle": logoff(which=2),
    "one-slot-reissued-live": logoff(world=1),
    "last-handle-of-shared-session": logoff(world=2),
    "roomy-live-private": logoff(world=3, which=2),
    "roomy-live-shared": logoff(world=3, which=0),
    # F6: any window parameter, the same result.
    "live-with-window-all-ones": logoff(which=2, ui=(1 << 64) - 1),
    "live-with-window-high-half": logoff(which=2, ui=0xA5A5A5A500000000),
    "dead-with-window": logoff(kind="dead", ui=0x1234),
    # F1: flags, even on a live handle.
    "flags-1-on-live": logoff(flags=1),
    "flags-top-bit-on-live": logoff(flags=0x80000000, which=2),
    "flags-logon-ui-on-live-private": logoff(world=3, which=2, flags=MAPI_LOGON_UI),
    "flags-all-on-one-slot": logoff(world=1, flags=0xFFFFFFFF),
    "flags-on-dead": logoff(kind="dead", flags=2),
    # F2: reserved.
    "reserved-1-on-live": logoff(reserved=1),
    "reserved-top-bit-on-live-private": logoff(which=2, reserved=0x80000000),
    "reserved-on-one-slot": logoff(world=1, reserved=0xFFFFFFFF),
    "flags-and-reserved": logoff(flags=4, reserved=4),
    # F3a: zero, where slot 0 is free (its handle word is 0) and where it is live.
    "zero-handle-slot0-retired": logoff(kind="zero"),
    "zero-handle-slot0-retired-max-gen-1": logoff(world=2, kind="zero"),
    "zero-handle-slot0-live": logoff(world=1, kind="zero"),
    "zero-handle-roomy": logoff(world=3, kind="zero"),
    # F3c: logged off already.
    "dead-handle": logoff(kind="dead"),
    "dead-handle-max-gen-1": logoff(world=2, kind="dead"),
    "dead-join-handle-roomy": logoff(world=3, kind="dead"),
    # F3d: stale, its slot reissued (live again in world 1).
    "stale-handle": logoff(kind="stale"),
    "stale-handle-slot-live-again": logoff(world=1, kind="stale"),
    # F3b/H4: never issued: forged around the end of the table, and another provider's.
    "raw-last-slot": logoff(kind="raw", which=0, tag=1, generation=1),
    "raw-slot-equal-to-capacity": logoff(kind="raw", which=1, generation=1),
    "raw-slot-equal-to-capacity-one-slot": logoff(world=1, kind="raw", which=1),
    "raw-slot-equal-to-capacity-two-slots": logoff(world=2, kind="raw", which=1, generation=1),
    "raw-slot-equal-to-capacity-roomy": logoff(world=3, kind="raw", which=1, generation=2),
    "raw-slot-past-capacity": logoff(kind="raw", which=2, generation=1),
    "raw-slot-0-next-generation": logoff(world=1, kind="raw", which=3, generation=3),
    "foreign-live-handle": logoff(kind="foreign"),
    "foreign-live-handle-one-slot": logoff(world=1, kind="foreign"),
    # F3e/F3f: a live handle with a bit flipped, cut to 32 bits, halves swapped, nudged.
    "live-bit-0-flipped": logoff(which=2, mutation="flip", operand=0),
    "live-bit-31-flipped": logoff(which=2, mutation="flip", operand=31),
    "live-bit-32-flipped": logoff(which=2, mutation="flip", operand=32),
    "live-bit-63-flipped": logoff(mutation="flip", operand=63),
    "live-cut-to-32-bits": logoff(which=2, mutation="cut32"),
    "live-cut-to-32-bits-one-slot": logoff(world=1, mutation="cut32"),
    "live-halves-swapped": logoff(which=2, mutation="swap"),
    "live-plus-one": logoff(mutation="add", operand=1),
    "live-minus-one": logoff(world=1, mutation="add", operand=0xFF),
    "live-top-bit": logoff(world=3, mutation="top"),
    "live-low-half-cleared": logoff(which=1, mutation="clearlow"),
    "live-xor-high-half": logoff(which=2, mutation="xor", operand=0xFFFFFFFF00000000),
}

# --- logon_fuzzer ---------------------------------------------------------------------------------
# u32 flags, u32 reserved, u64 ulUIParam, u8 scenario (| 0x80: NULL lplhSession), profile,
# password, u8 UI reply (0 answer, 1 cancel, 2 no dialog, 3 throw), answer profile, answer password.
SCENARIOS = {"fresh": 0, "shared-default": 1, "shared-alice": 2, "full-private": 3,
             "full-shared": 4, "no-default-profile": 5, "slot-spent": 6, "full-mixed": 7}
REPLIES = {"answer": 0, "cancel": 1, "none": 2, "throw": 3}


def logon_fields(flags, reserved, null_out, prof, pw, ui, reply, answer_profile, answer_password):
    """The fields describe mode shows for a MAPILogon (harness.cc, DescribeLogon)."""
    fields = {"flags": fmt_flags(flags), "reserved": fmt_hex(reserved),
              "out": "NULL" if null_out else "&h", "profile": prof.shown, "password": pw.shown,
              "ui": fmt_hex(ui), "reply": reply}
    if reply == "answer":
        fields.update(answer_profile=answer_profile.shown, answer_password=answer_password.shown)
    return fields


def logon(flags=0, reserved=0, ui=0, scenario="fresh", null_out=False, prof=None, pw=None,
          reply="answer", answer_profile=None, answer_password=None):
    prof = prof if prof is not None else profile("default")
    pw = pw if pw is not None else password("")
    answer_profile = answer_profile if answer_profile is not None else profile("default")
    answer_password = answer_password if answer_password is not None else password("")
    data = u32(flags) + u32(reserved) + u64(ui)
    data += u8(SCENARIOS[scenario] | (0x80 if null_out else 0))
    data += prof + pw + u8(REPLIES[reply]) + answer_profile + answer_password
    return Enc(data, [fact("scenario", name=scenario),
                      fact("logon", **logon_fields(flags, reserved, null_out, prof, pw, ui, reply,
                                                   answer_profile, answer_password))])


WINDOW = 0xFFFFFFFF00001234  # High bits set: a window parameter cut to 32 bits shows.

LOGON = {
    "default-profile-creates-shared": Enc(b"", [  # N16, the all-zero input.
        fact("scenario", name="fresh"),
        fact("logon", flags=0, reserved=0, out="&h", profile='"default"', password='""', ui=0,
             reply="answer")]),
    "new-session-default": logon(flags=MAPI_NEW_SESSION),  # N17
    "force-download-ignored": logon(flags=MAPI_FORCE_DOWNLOAD | MAPI_NEW_SESSION),  # N20
    "null-out-pointer": logon(null_out=True),  # N1
    "reserved-with-good-credentials": logon(reserved=1),  # N2
    "reserved-top-bit": logon(reserved=0x80000000, flags=MAPI_NEW_SESSION),
    "flag-dialog": logon(flags=MAPI_DIALOG),  # N3
    "flag-extended": logon(flags=MAPI_EXTENDED | MAPI_NEW_SESSION),
    "flag-top-bit": logon(flags=0x80000000),
    "flag-bit-2": logon(flags=0x4, prof=profile("alice"), pw=password("secret")),
    "flags-all": logon(flags=0xFFFFFFFF),
    "logon-ui-with-password-ui": logon(flags=MAPI_LOGON_UI | MAPI_PASSWORD_UI),  # N4
    "null-profile-joins-shared": logon(scenario="shared-default", prof=NULL, pw=NULL),  # N5
    "null-profile-joins-shared-with-ui": logon(scenario="shared-alice", prof=NULL,
                                               flags=MAPI_LOGON_UI, ui=WINDOW),
    "null-profile-no-shared": logon(prof=NULL, pw=NULL),  # N6
    "null-profile-new-session": logon(flags=MAPI_NEW_SESSION, prof=NULL, pw=NULL),  # N7
    "null-profile-new-session-wrong-password": logon(flags=MAPI_NEW_SESSION, prof=NULL,
                                                     pw=password("wrong")),
    "null-profile-logon-ui-default-works": logon(flags=MAPI_LOGON_UI, prof=NULL, pw=NULL),
    "alice-good": logon(prof=profile("alice"), pw=password("secret")),
    "bob-good": logon(flags=MAPI_NEW_SESSION, prof=profile("bob"), pw=password("secretive")),
    "carol-good": logon(prof=profile("carol"), pw=password("s")),
    "long-profile-good": logon(prof=profile("long"), pw=password("long")),
    # N8 with passwords that are prefixes of one another: the comparison must be exact.
    "alice-password-prefix": logon(prof=profile("alice"), pw=password("secre")),
    "alice-password-extended": logon(prof=profile("alice"), pw=password("secretive")),
    "bob-password-is-alices": logon(prof=profile("bob"), pw=password("secret")),
    "carol-password-extended": logon(prof=profile("carol"), pw=password("secret")),
    "default-nonempty-password": logon(pw=password("s")),
    "default-new-session-nonempty-password": logon(flags=MAPI_NEW_SESSION, pw=password("wrong")),
    "alice-empty-password": logon(prof=profile("alice"), pw=password("")),
    "alice-null-password": logon(prof=profile("alice"), pw=NULL),
    "alice-password-wrong-case": logon(prof=profile("alice"), pw=password("Secret")),
    "profile-wrong-case": logon(prof=profile("Alice"), pw=password("secret")),
    "unknown-profile": logon(prof=profile("nobody"), pw=password("secret")),
    "empty-profile-name": logon(prof=profile("empty")),
    # Raw bytes: what the provider sees stops at the first NUL.
    "profile-with-embedded-nul": logon(prof=raw(b"alice\0bob"), pw=password("secret")),
    "password-with-embedded-nul": logon(prof=profile("alice"), pw=raw(b"secret\0tail")),
    "password-nul-then-prefix": logon(prof=profile("bob"), pw=raw(b"secret\0ive")),
    "profile-invalid-utf8": logon(prof=raw(b"\xff\xfe\xc3\x28"), pw=raw(b"\x80\x80")),
    "profile-very-long": logon(prof=long_string(4096, ord("a"))),
    "password-very-long": logon(prof=profile("alice"), pw=long_string(3000, ord("s"))),
    # N9-N13: the dialog, with a window parameter whose high half is set (N21).
    "password-ui-unknown-profile": logon(flags=MAPI_PASSWORD_UI, ui=WINDOW,
                                         prof=profile("nobody")),
    "logon-ui-cancel": logon(flags=MAPI_LOGON_UI, ui=WINDOW, prof=profile("alice"),
                             pw=password("wrong"), reply="cancel"),
    "logon-ui-answers-alice": logon(flags=MAPI_LOGON_UI, ui=WINDOW, prof=profile("alice"),
                                    pw=password("wrong"), answer_profile=profile("alice"),
                                    answer_password=password("secret")),
    "logon-ui-answers-wrong": logon(flags=MAPI_LOGON_UI, ui=WINDOW, prof=profile("bob"),
                                    pw=password("secret"), answer_profile=profile("bob"),
                                    answer_password=password("secre")),
    "logon-ui-answer-prefix-password": logon(flags=MAPI_LOGON_UI | MAPI_NEW_SESSION, ui=1,
                                             prof=profile("nobody"),
                                             answer_profile=profile("alice"),
                                             answer_password=password("secretive")),
    "logon-ui-answer-with-nul": logon(flags=MAPI_LOGON_UI, ui=WINDOW, prof=profile("nobody"),
                                      answer_profile=raw(b"alice\0"),
                                      answer_password=password("secret")),
    "logon-ui-headless": logon(flags=MAPI_LOGON_UI, ui=WINDOW, prof=profile("alice"),
                               pw=password("s"), reply="none"),
    "logon-ui-null-profile-wrong-default": logon(flags=MAPI_LOGON_UI, ui=(1 << 64) - 1, prof=NULL,
                                                 pw=password("wrong"),
                                                 answer_profile=profile("carol"),
                                                 answer_password=password("s")),
    "password-ui-answers": logon(flags=MAPI_PASSWORD_UI | MAPI_NEW_SESSION, ui=WINDOW,
                                 prof=profile("alice"), pw=password("wrong"),
                                 answer_profile=profile("nobody"),
                                 answer_password=password("secret")),
    "password-ui-answers-prefix": logon(flags=MAPI_PASSWORD_UI, ui=WINDOW, prof=profile("carol"),
                                        pw=password("wrong"), answer_password=password("secret")),
    # N23: the host throws; the provider returns MAPI_E_FAILURE and changes nothing.
    "logon-ui-host-throws": logon(flags=MAPI_LOGON_UI, ui=WINDOW, prof=profile("alice"),
                                  pw=password("wrong"), reply="throw"),
    "password-ui-host-throws": logon(flags=MAPI_PASSWORD_UI | MAPI_NEW_SESSION,
                                     prof=profile("bob"), reply="throw"),
    "password-ui-cancel": logon(flags=MAPI_PASSWORD_UI, ui=0x8000000000000000,
                                prof=profile("bob"), reply="cancel"),
    # N14/N15: the shared session and its profile.
    "same-profile-joins-shared": logon(scenario="shared-default"),
    "other-profile-cannot-join": logon(scenario="shared-alice"),
    "other-profile-new-session-ok": logon(scenario="shared-alice", flags=MAPI_NEW_SESSION),
    # N18: a full table; credentials come first.
    "full-table-good-credentials": logon(scenario="full-private", flags=MAPI_NEW_SESSION),
    "full-table-bad-credentials": logon(scenario="full-private", pw=password("wrong")),
    "full-table-join": logon(scenario="full-shared", prof=NULL, pw=NULL),
    "full-table-same-profile-join": logon(scenario="full-shared"),
    "full-table-ui-answer": logon(scenario="full-private", flags=MAPI_LOGON_UI, ui=WINDOW,
                                  prof=profile("nobody"), answer_profile=profile("alice"),
                                  answer_password=password("secret")),
    "spent-slot-is-retired": logon(scenario="slot-spent", flags=MAPI_NEW_SESSION),
    "full-mixed-join": logon(scenario="full-mixed", prof=NULL),
    "no-default-profile-null-new-session": logon(scenario="no-default-profile",
                                                 flags=MAPI_NEW_SESSION, prof=NULL),
    "no-default-profile-password-ui": logon(scenario="no-default-profile",
                                            flags=MAPI_PASSWORD_UI | MAPI_NEW_SESSION, prof=NULL,
                                            ui=WINDOW),
}

# --- session_fuzzer and oom_fuzzer: step sequences ------------------------------------------------
# Step opcodes and operands: fuzzers/support/sequence.cc, RunSequence.
ZERO = 0xF0  # Handle selectors from 0xf0: 0, one past the table, next generation, forged slot 0.
PAST_END = 0xF1
NEXT_GENERATION = 0xF2
FORGED_SLOT0 = 0xF3


FLAG_BITS = ["logon_ui", "new", "password_ui", "force", "dialog", "top", "reserved", "null_out"]
FLAG_VALUES = {"logon_ui": MAPI_LOGON_UI, "new": MAPI_NEW_SESSION, "password_ui": MAPI_PASSWORD_UI,
               "force": MAPI_FORCE_DOWNLOAD, "dialog": MAPI_DIALOG, "top": 0x80000000}


def flags_byte(**on):
    assert set(on) <= set(FLAG_BITS)
    return u8(sum(1 << i for i, name in enumerate(FLAG_BITS) if on.get(name)))


def ui_byte(reply="answer", window=0):
    return u8({"answer": 0, "cancel": 1, "none": 2, "throw": 3}[reply] |
              WINDOW_PARAMS.index(window) << 2)


def s_logon(prof=None, pw=None, reply="answer", window=0, answer=None, **flags):
    """Step 0: MAPILogon. `answer` is (profile, password) for an answered dialog."""
    prof = prof if prof is not None else profile("default")
    pw = pw if pw is not None else password("")
    data = u8(0) + flags_byte(**flags) + prof + pw + ui_byte(reply, window)
    ans_profile, ans_password = answer or (profile("default"), password(""))
    if reply in ("answer", "throw"):
        data += ans_profile + ans_password
    value = sum(v for name, v in FLAG_VALUES.items() if flags.get(name))
    return Enc(data, [fact("logon", **logon_fields(value, 1 if flags.get("reserved") else 0,
                                                   flags.get("null_out"), prof, pw, window,
                                                   reply, ans_profile, ans_password))])


# Step handle selectors from 0xf0 (sequence.cc, PickHandle).
SELECTORS = {ZERO: "zero", PAST_END: "past-end", NEXT_GENERATION: "next-generation",
             FORGED_SLOT0: "forged-slot0"}
LOGOFF_FLAGS = [0, 1, 2, MAPI_DIALOG, MAPI_EXTENDED, MAPI_FORCE_DOWNLOAD, 0x20000, 0x80000000,
                0xFFFFFFFF, 0x10, 0x100, 0x10000, 0x40000000, 0x7FFFFFFF, 0x4, 0x8000]


def logoff_reserved(nibble):
    return 0 if nibble == 0 else 0xFFFFFFFF if nibble == 15 else 1 << (nibble * 2 - 1)


def handle_fields(handle, mutation, operand):
    fields = {"handle": SELECTORS.get(handle, f"issued[{handle}]")}
    fields.update(mutation_fields(mutation, operand))
    return fields


def mutation_bytes(mutation, operand):
    data = u8(MUTATIONS[mutation])
    if mutation in ("flip", "add"):
        data += u8(operand & 0xFF)
    elif mutation == "xor":
        data += u64(operand)
    return data


def s_logoff(handle=0, mutation="none", operand=None, flags=0, reserved=0, window=0):
    """Step 1: MAPILogoff of the handle-th handle issued (or a selector from 0xf0)."""
    data = u8(1) + u8(handle) + mutation_bytes(mutation, operand)
    data += u8(flags | reserved << 4) + u8(WINDOW_PARAMS.index(window))
    return Enc(data, [fact("logoff", **handle_fields(handle, mutation, operand),
                           flags=fmt_flags(LOGOFF_FLAGS[flags]),
                           reserved=fmt_hex(logoff_reserved(reserved)), ui=fmt_hex(window))])


def s_lookup(handle=0, mutation="none", operand=None):
    data = u8(2) + u8(handle) + mutation_bytes(mutation, operand)
    return Enc(data, [fact("lookup", **handle_fields(handle, mutation, operand))])


def s_join(window=0):
    return Enc(u8(3) + u8(WINDOW_PARAMS.index(window)), [fact("join", ui=fmt_hex(window))])


def s_add_profile(name, pw):
    return Enc(u8(4) + name + pw, [fact("add_profile", name=name.shown, password=pw.shown)])


def s_remove_profile(name):
    return Enc(u8(5) + name, [fact("remove_profile", name=name.shown)])


def s_logoff_oldest():
    return Enc(u8(6), [fact("logoff_oldest")])


FAULT_MODES = ["off", "nth", "from", "all"]


def s_fault(mode, n=0):
    """Step 7 (oom_fuzzer only): "off", "nth", "from" or "all"."""
    return Enc(u8(7) + u8(FAULT_MODES.index(mode)) + u8(n), [fact("fault", mode=mode, n=n)])


def seq(cfg, *steps):
    data = cfg
    for step in steps:
        data = data + step
    return data


NEW = {"new": True}

SESSION = {
    # Slot reuse: FIFO, a new generation each time (H2), the stale handle stays dead (F3d).
    "reuse-one-slot": seq(config(capacity=1, max_generation="max"),
                          s_logon(**NEW), s_logoff(0), s_logon(**NEW), s_logoff(0),
                          s_lookup(0), s_logoff(1), s_logon(**NEW), s_lookup(NEXT_GENERATION)),
    "reuse-fifo-order": seq(config(capacity=3, max_generation="max"),
                            s_logon(**NEW), s_logon(**NEW), s_logon(**NEW),
                            s_logoff(1), s_logoff(0), s_logon(**NEW), s_logon(**NEW),
                            s_logoff(2), s_logon(**NEW), s_lookup(1)),
    # H3: spent slots retire, never wrap; a full table of retired slots is TOO_MANY_SESSIONS.
    "retire-after-one-generation": seq(config(capacity=1, max_generation=1),
                                       s_logon(**NEW), s_logoff(0), s_logon(**NEW), s_logon(),
                                       s_join(), s_lookup(0)),
    "retire-after-two-generations": seq(config(capacity=2, max_generation=2),
                                        s_logon(**NEW), s_logon(**NEW), s_logoff(0), s_logoff(1),
                                        s_logon(**NEW), s_logon(**NEW), s_logoff(2), s_logoff(3),
                                        s_logon(**NEW), s_lookup(0), s_lookup(2)),
    "retire-after-three-generations": seq(config(capacity=1, max_generation=3),
                                          *[s_logon(**NEW) + s_logoff_oldest()] * 4,
                                          s_lookup(2), s_lookup(PAST_END)),
    # F7/H5: the shared session ends with its last handle.
    "shared-session-refcount": seq(config(capacity=4),
                                   s_logon(), s_join(), s_join(window=(1 << 64) - 1),
                                   s_logoff(0), s_lookup(1), s_logoff(1), s_lookup(2),
                                   s_logoff(2), s_join(), s_logon(), s_lookup(3)),
    "shared-join-full-table": seq(config(capacity=2), s_logon(), s_join(), s_join(), s_logon(),
                                  s_logoff(1), s_join(), s_lookup(2)),
    "shared-other-profile": seq(config(capacity=4),
                                s_logon(prof=profile("alice"), pw=password("secret")),
                                s_logon(), s_logon(prof=profile("alice"), pw=password("secret")),
                                s_join(), s_logoff(0), s_logoff(1), s_logon()),
    # F3a: zero where slot 0 is free (never used, then released).
    "zero-handle-fresh": seq(config(capacity=4), s_lookup(ZERO), s_logoff(ZERO)),
    "zero-handle-after-slot-0-freed": seq(config(capacity=4), s_logon(**NEW), s_logon(**NEW),
                                          s_logoff(0), s_logoff(ZERO), s_lookup(ZERO),
                                          s_lookup(1)),
    "zero-handle-slot-0-retired": seq(config(capacity=2, max_generation=1), s_logon(**NEW),
                                      s_logoff(0), s_logon(), s_logoff(ZERO), s_lookup(ZERO)),
    # Handles that decode to the slot one past the table, for every small capacity.
    "past-end-capacity-1": seq(config(capacity=1), s_logon(), s_lookup(PAST_END),
                               s_logoff(PAST_END)),
    "past-end-capacity-2": seq(config(capacity=2, seed=1), s_lookup(PAST_END),
                               s_logoff(PAST_END), s_logon(**NEW), s_logoff(PAST_END)),
    "past-end-capacity-3": seq(config(capacity=3, seed=2), s_logon(**NEW), s_logoff(PAST_END)),
    "past-end-capacity-4": seq(config(capacity=4, seed=3), s_lookup(PAST_END),
                               s_logoff(PAST_END)),
    "past-end-capacity-16": seq(config(capacity=16, seed=4), s_logoff(PAST_END)),
    "forged-next-generation": seq(config(capacity=2), s_logon(**NEW), s_logoff(NEXT_GENERATION),
                                  s_logoff(0), s_lookup(NEXT_GENERATION), s_logon(**NEW),
                                  s_logoff(FORGED_SLOT0)),
    # F1/F2/F6: bad flags and reserved on a live handle, then a good logoff with a window.
    "logoff-flags-reserved-window": seq(config(), s_logon(**NEW), s_logoff(0, flags=1),
                                        s_logoff(0, flags=7), s_logoff(0, reserved=1),
                                        s_logoff(0, reserved=15), s_logoff(0, flags=8, reserved=8),
                                        s_logoff(0, window=(1 << 64) - 1), s_logoff(0)),
    # F3c/F3e/F3f: double logoff, and mutated live handles.
    "logoff-mutated-handles": seq(config(capacity=8), s_logon(**NEW), s_logon(),
                                  s_logoff(0, "flip", 0), s_logoff(0, "flip", 40),
                                  s_logoff(0, "cut32"), s_logoff(0, "swap"), s_logoff(1, "add", 1),
                                  s_logoff(1, "top"), s_logoff(1, "clearlow"),
                                  s_lookup(0, "xor", 1 << 32), s_logoff(0), s_logoff(0)),
    # N18: a full table, then room again.
    "full-table": seq(config(capacity=2), s_logon(**NEW), s_logon(**NEW), s_logon(**NEW),
                      s_logon(), s_logoff_oldest(), s_logon(**NEW), s_logon(**NEW)),
    # N1-N4 inside a sequence: failures never write the handle.
    "logon-argument-failures": seq(config(), s_logon(null_out=True), s_logon(reserved=True),
                                   s_logon(dialog=True), s_logon(top=True),
                                   s_logon(logon_ui=True, password_ui=True), s_logon(**NEW)),
    # Profiles: exact passwords, replaced passwords, removed profiles (sessions stay open).
    "profile-passwords-exact": seq(config(capacity=8),
                                   s_logon(prof=profile("alice"), pw=password("secre"), **NEW),
                                   s_logon(prof=profile("alice"), pw=password("secretive"), **NEW),
                                   s_logon(prof=profile("bob"), pw=password("secret"), **NEW),
                                   s_logon(prof=profile("carol"), pw=password("secret"), **NEW),
                                   s_logon(pw=password("s"), **NEW),
                                   s_logon(prof=profile("carol"), pw=password("s"), **NEW)),
    "profile-replace-and-remove": seq(config(capacity=8),
                                      s_logon(prof=profile("alice"), pw=password("secret"), **NEW),
                                      s_add_profile(profile("alice"), password("secretive")),
                                      s_logon(prof=profile("alice"), pw=password("secret"), **NEW),
                                      s_logon(prof=profile("alice"), pw=password("secretive"),
                                              **NEW),
                                      s_remove_profile(profile("alice")), s_lookup(0),
                                      s_logon(prof=profile("alice"), pw=password("secretive"),
                                              **NEW),
                                      s_remove_profile(profile("alice")),
                                      s_add_profile(profile("empty"), password("s")),
                                      s_add_profile(raw(b"x\0y"), raw(b"p")), s_logoff(0)),
    "remove-default-then-null-profile": seq(config(), s_logon(), s_remove_profile(profile("default")),
                                            s_join(), s_logoff(0), s_join(),
                                            s_logon(prof=NULL, pw=NULL, **NEW)),
    # N10-N13, N21: dialogs inside a sequence.
    "dialogs": seq(config(capacity=8),
                   s_logon(prof=profile("nobody"), reply="answer", window=0xA5A5A5A5DEADBEEF,
                           answer=(profile("alice"), password("secret")), logon_ui=True),
                   s_logon(prof=profile("bob"), pw=password("s"), reply="cancel", window=1 << 63,
                           password_ui=True),
                   s_logon(prof=profile("carol"), reply="answer", window=0xFFFFFFFF,
                           answer=(profile("nobody"), password("secret")), password_ui=True,
                           new=True),
                   s_logon(prof=profile("alice"), pw=password("wrong"), reply="none",
                           window=1 << 32, logon_ui=True),
                   s_logon(prof=NULL, pw=password("wrong"), reply="answer", window=1,
                           answer=(profile("alice"), password("secret")), logon_ui=True),
                   s_logon(prof=profile("bob"), reply="throw", window=0xFFFF, password_ui=True),
                   s_logon(prof=profile("nobody"), reply="throw", logon_ui=True, new=True)),
}

OOM = {
    # F4: the first logoff grows the reuse queue; that allocation fails, the session stays live.
    "logoff-queue-growth-fails": seq(config(), u8(0), u8(0), s_logon(**NEW), s_fault("nth", 1),
                                     s_logoff(0), s_lookup(0), s_fault("off"), s_logoff(0)),
    "logoff-queue-growth-fails-shared": seq(config(), u8(0), u8(0), s_logon(), s_join(),
                                            s_fault("all"), s_logoff(1), s_logoff(0),
                                            s_fault("off"), s_logoff(0), s_logoff(1)),
    "logoff-fails-then-ends-at-exit": seq(config(capacity=1), u8(1), u8(2), s_logon(**NEW),
                                          s_logoff(0), s_logon(**NEW)),
    # N19: the session allocation fails; nothing changes.
    "logon-session-fails": seq(config(), u8(1), u8(1), s_logon(**NEW), s_logon(**NEW),
                               s_lookup(0)),
    "logon-shared-fails-then-join": seq(config(), u8(1), u8(1), s_logon(), s_join(), s_logon(),
                                        s_join()),
    "logon-long-strings-fail": seq(config(capacity=8), u8(1), u8(2),
                                   s_logon(prof=profile("long"), pw=password("long"), **NEW),
                                   s_fault("nth", 3),
                                   s_logon(prof=profile("long"), pw=password("long"), **NEW),
                                   s_fault("from", 2),
                                   s_logon(prof=profile("long"), pw=password("long"), **NEW)),
    "logon-ui-then-allocation-fails": seq(config(), u8(3), u8(0),
                                          s_logon(prof=profile("nobody"), reply="answer",
                                                  window=(1 << 64) - 1,
                                                  answer=(profile("alice"), password("secret")),
                                                  logon_ui=True)),
    # N18 before N19: a full table reports MAPI_E_TOO_MANY_SESSIONS even when the session could
    # not have been allocated either; bad flags and bad credentials keep their rows too.
    "full-table-then-allocation-fails": seq(config(capacity=1), u8(0), u8(0), s_logon(**NEW),
                                            s_fault("all"), s_logon(**NEW), s_logon(),
                                            s_logon(pw=password("wrong"), **NEW),
                                            s_logon(dialog=True)),
    "join-needs-no-allocation": seq(config(), u8(0), u8(0), s_logon(), s_fault("all"), s_join(),
                                    s_join(), s_logon()),
    "add-profile-fails": seq(config(), u8(1), u8(1), s_add_profile(profile("nobody"),
                                                                   password("secret")),
                             s_logon(prof=profile("nobody"), pw=password("secret")),
                             s_fault("from", 1), s_add_profile(profile("long"), password("long"))),
    # Growth past the first 8 queue entries: capacity 16, nine sessions ended.
    "queue-growth-past-eight": seq(config(capacity=16, max_generation="max"), u8(0), u8(0),
                                   *[s_logon(**NEW)] * 10, *[s_logoff_oldest()] * 8,
                                   s_fault("nth", 1), s_logoff_oldest(), s_lookup(8),
                                   s_fault("off"), s_logoff_oldest()),
    # A copy that runs out of memory after it copied the shared session must end that one too.
    "copy-fails-after-the-shared-session": seq(config(), u8(0), u8(0), s_logon(), s_logon(**NEW)),
    "fail-every-allocation": seq(config(capacity=2), u8(3), u8(0), s_logon(**NEW), s_logon(),
                                 s_join(), s_add_profile(profile("nobody"), password("")),
                                 s_logoff(ZERO)),
}

# --- concurrent_fuzzer ----------------------------------------------------------------------------
# u8 config (bits 0-1 b: 4 * ((b + 1) % 4) spare slots, bits 2-3 max_generation {max,2,1,3},
# bits 4-7 seed),
# u8 threads (bits 0-1: 2 + (b + 1) % 3; bits 2-4: 4 more rounds each), u8 pre-created (bits 0-2
# count {128,1,2,4,8,16,32,256}; bits 3-4 shared: none, all, every 2nd, every 3rd), then (op, arg)
# pairs dealt round-robin to the threads. Every input runs at least twice (two rounds), each on a
# fresh provider.
PRE_COUNTS = [128, 1, 2, 4, 8, 16, 32, 256]
SHARED = {"none": 0, "all": 1, "every2": 2, "every3": 3}
LOCKSTEP = 0x80  # A sweep-logoff argument: meet the other lockstep threads at every handle.
OPS = {"sweep-logoff": 0, "sweep-lookup": 1, "logoff-one": 2, "logon-private": 3, "join": 4,
       "logoff-own": 5, "bad-logoff": 6, "logon-shared": 7}
CONCURRENT_GENERATIONS = ["max", 2, 1, 3]


def concurrent(threads, pre=128, shared="none", spare=0, max_generation="max", seed=0, ops=(),
               rounds=2, serial=False):
    """`spare`: 0-3, times 4 slots. `rounds`: 2, 6, 10, ... 30; a race seed asks for many, so
    every replay catches its race. `serial`: the threads' lists run one after another."""
    assert rounds in range(2, 31, 4)
    cfg = (spare - 1) % 4 | CONCURRENT_GENERATIONS.index(max_generation) << 2 | seed << 4
    data = u8(cfg) + u8((threads - 3) % 3 | (rounds - 2) // 4 << 2 | int(serial) << 5)
    data += u8(PRE_COUNTS.index(pre) | SHARED[shared] << 3)
    for op, arg in ops:
        data += u8(OPS[op]) + u8(arg)
    generations = 0xFFFFFFFF if max_generation == "max" else max_generation
    facts = [fact("concurrent", threads=threads, rounds=rounds, serial=int(serial), pre=pre,
                  shared=shared, spare_slots=4 * spare, max_generation=generations,
                  seed=fmt_hex(0xC0C0000000000001 + seed))]
    # Dealt round-robin; the target describes each thread's list in turn.
    for t in range(threads):
        for op, arg in list(ops)[t::threads]:
            facts.append(fact("op", thread=t, op=op, arg=fmt_hex(arg)))
    return Enc(data, facts)


def dealt(threads, per_thread):
    """Interleaves per-thread op lists the way the target deals them."""
    ops = []
    for k in range(max(len(p) for p in per_thread)):
        for t in range(threads):
            ops.append(per_thread[t][k] if k < len(per_thread[t]) else ("sweep-lookup", 0))
    return ops


CONCURRENT = {
    # F8, H7, N18: two threads log off the same 128 handles at once while a third logs on twice,
    # with four slots to spare, and then reads each handle as it ends (the all-zero input).
    "two-sweeps-and-a-reader": Enc(b"", [
        fact("concurrent", threads=3, rounds=2, pre=128, shared="none", spare_slots=4,
             max_generation=0xFFFFFFFF),
        fact("op", thread=0, op="sweep-logoff", arg=hex(LOCKSTEP)),
        fact("op", thread=1, op="logon-private", arg=0),
        fact("op", thread=1, op="logon-private", arg=0),
        fact("op", thread=1, op="sweep-lookup", arg=0),
        fact("op", thread=2, op="sweep-logoff", arg=hex(LOCKSTEP))]),
    "two-threads-sweep-same-handles": concurrent(2),
    # The same races, thirty times over: a replay on a busy machine still meets them.
    "two-sweeps-and-a-reader-30-rounds": concurrent(3, pre=256, rounds=30),
    "lockstep-sweeps-30-rounds": concurrent(
        2, pre=256, rounds=30, ops=dealt(2, [[("sweep-logoff", LOCKSTEP)]] * 2)),
    "reader-follows-one-sweep-30-rounds": concurrent(
        2, pre=256, rounds=30, ops=dealt(2, [[("sweep-logoff", 0)], [("sweep-lookup", 0)]])),
    "four-threads-lockstep-and-readers-30-rounds": concurrent(
        4, pre=256, rounds=30, ops=dealt(4, [[("sweep-logoff", LOCKSTEP)], [("sweep-lookup", 0)]] * 2)),
    "two-lockstep-sweeps": concurrent(2, ops=dealt(2, [[("sweep-logoff", LOCKSTEP)]] * 2)),
    "four-lockstep-sweeps-256-handles": concurrent(
        4, pre=256, ops=dealt(4, [[("sweep-logoff", LOCKSTEP)]] * 4)),
    "lockstep-sweeps-shared-session": concurrent(
        3, pre=32, shared="all", ops=dealt(3, [[("sweep-logoff", LOCKSTEP)], [("sweep-lookup", 3)],
                                               [("sweep-logoff", LOCKSTEP)]])),
    "four-threads-sweep-256-handles": concurrent(4, pre=256),
    "three-threads-sweep-from-different-starts": concurrent(
        3, pre=32, ops=dealt(3, [[("sweep-logoff", 0)], [("sweep-logoff", 8)],
                                 [("sweep-logoff", 16)]])),
    # H7: lookups race the logoffs and the logons that reuse the freed slots.
    "lookups-race-logoffs": concurrent(
        3, pre=16, ops=dealt(3, [[("sweep-logoff", 0)], [("sweep-lookup", 3)] * 4,
                                 [("sweep-logoff", 5)]])),
    "lookups-race-slot-reuse": concurrent(
        3, pre=16, spare=1, ops=dealt(3, [
            [("sweep-logoff", 0)] + [("logon-private", 0)] * 8,
            [("sweep-lookup", 3)] * 8,
            [("logon-private", 0), ("logoff-own", 0)] * 4])),
    # N18: logons racing logoff sweeps with twelve slots to spare; none may find the table full.
    "logons-race-logoffs-with-room": concurrent(
        3, pre=32, spare=3, rounds=30, ops=dealt(3, [
            [("sweep-logoff", LOCKSTEP)], [("logon-private", 0)] * 8,
            [("sweep-logoff", LOCKSTEP)]])),
    # F7: the shared session's handle count under concurrent joins and logoffs.
    "shared-session-refcount-race": concurrent(
        4, pre=16, shared="all", spare=2, ops=dealt(4, [
            [("sweep-logoff", 0)], [("join", 0), ("join", 0), ("logoff-own", 0)],
            [("sweep-logoff", 7)], [("logon-shared", 0), ("sweep-lookup", 1), ("logoff-own", 0)]])),
    "shared-every-second-handle": concurrent(2, pre=32, shared="every2"),
    "shared-every-third-handle-retiring": concurrent(
        3, pre=8, shared="every3", spare=1, max_generation=1, ops=dealt(3, [
            [("sweep-logoff", 0), ("logon-private", 0)], [("sweep-logoff", 3), ("join", 0)],
            [("sweep-lookup", 0), ("logon-shared", 0), ("logoff-own", 0)]])),
    # Generations spent quickly while threads log on and off.
    "churn-max-generation-2": concurrent(
        2, pre=8, spare=1, max_generation=2, ops=dealt(2, [
            [("logoff-one", 0), ("logon-private", 0), ("logoff-own", 0), ("logon-private", 0)] * 2,
            [("logoff-one", 0), ("logon-private", 0), ("sweep-lookup", 0), ("logoff-own", 1)] * 2])),
    # F1/F2 under contention: bad flags never end a session.
    "bad-flags-race-good-logoffs": concurrent(
        2, pre=4, ops=dealt(2, [[("bad-logoff", 1), ("bad-logoff", 2)] * 4,
                                [("sweep-logoff", 0)]])),
    # Serial: the same checks over one fixed interleaving, every thread's list in turn. What a
    # defect that needs no race breaks, these show the same way on every run (ci/mutants.sh
    # replays only these of this target).
    "serial-sweeps-and-a-reader": concurrent(
        3, pre=4, spare=1, serial=True, ops=dealt(3, [
            [("sweep-logoff", LOCKSTEP)], [("logon-private", 0), ("logon-private", 0),
                                           ("sweep-lookup", 0)], [("sweep-logoff", LOCKSTEP)]])),
    "serial-readers-then-sweep": concurrent(
        2, pre=4, spare=1, serial=True, ops=dealt(2, [
            [("sweep-lookup", 0), ("logon-shared", 0), ("join", 0), ("sweep-lookup", 0)],
            [("sweep-logoff", 1), ("sweep-lookup", 0)]])),
    "serial-own-handles": concurrent(
        2, pre=2, spare=2, shared="all", serial=True, ops=dealt(2, [
            [("logon-private", 0), ("join", 0), ("logon-shared", 0), ("logoff-own", 0),
             ("logoff-own", 0), ("logoff-own", 1), ("logoff-own", 2)],
            [("join", 0), ("logoff-one", 0), ("logoff-one", 1), ("join", 0), ("logoff-own", 0),
             ("logoff-own", 1)]])),
    "serial-join-with-no-shared-session": concurrent(
        2, pre=2, spare=1, serial=True, ops=dealt(2, [
            [("join", 0), ("logon-shared", 0), ("logoff-own", 0), ("join", 0)],
            [("logoff-one", 0), ("logoff-one", 0), ("logoff-one", 1)]])),
    "serial-bad-logoffs": concurrent(
        2, pre=2, serial=True, ops=dealt(2, [
            [("bad-logoff", 1), ("bad-logoff", 2), ("bad-logoff", 0)],
            [("bad-logoff", 3), ("logoff-one", 0), ("sweep-lookup", 0)]])),
    "serial-full-table": concurrent(
        2, pre=4, spare=0, serial=True, ops=dealt(2, [
            [("logon-private", 0), ("join", 0), ("logoff-one", 2), ("logon-private", 0),
             ("logon-private", 0)],
            [("logon-shared", 0), ("logoff-own", 0), ("logon-private", 0)]])),
    "serial-shared-every-second-retiring": concurrent(
        2, pre=4, shared="every2", spare=1, max_generation=1, serial=True, ops=dealt(2, [
            [("sweep-logoff", 0), ("logon-private", 0), ("logon-shared", 0), ("logoff-own", 0)],
            [("join", 0), ("logoff-own", 0), ("logon-private", 0), ("sweep-lookup", 0)]])),
    # A live shared handle's session after another handle onto it is logged off (H7, F7).
    "serial-shared-lookups-after-a-logoff": concurrent(
        2, pre=4, shared="all", serial=True, ops=dealt(2, [
            [("logoff-one", 0), ("sweep-lookup", 0)], [("sweep-lookup", 0)]])),
    # N5: a thread that still holds a handle onto the shared session joins it again.
    "serial-join-after-a-logoff": concurrent(
        2, pre=1, spare=2, serial=True, ops=dealt(2, [
            [("logon-shared", 0), ("join", 0), ("logoff-own", 0), ("join", 0)],
            [("sweep-lookup", 0)]])),
    # N18: the logons fill the table to its last slot, and each must succeed.
    "serial-last-slot": concurrent(
        2, pre=4, spare=1, serial=True, ops=dealt(2, [[("logon-private", 0)] * 4,
                                                      [("sweep-lookup", 0)]])),
    "serial-churn-max-generation-2": concurrent(
        2, pre=2, spare=1, max_generation=2, serial=True, ops=dealt(2, [
            [("logoff-one", 0), ("logon-private", 0), ("logoff-own", 0), ("logon-private", 0),
             ("logoff-own", 1), ("logon-private", 0)],
            [("logoff-one", 1), ("logon-private", 0), ("logoff-own", 0), ("logon-private", 0)]])),
}

# --- schedule_fuzzer -------------------------------------------------------------------------------
# u8 config (bits 0-1: 2 + b % 3 threads; bits 2-3: 1 + b pre-created handles; bits 4-5 shared:
# first, none, all, every second; bit 7: PCT), per thread u8 (steps - 1) then one byte per step
# (op | handle << 3), then either schedule bytes (option b % runnable at each decision, 0 = the
# thread that reached the point goes on; round robin once they run out) or, with PCT, u8 depth - 1,
# u8 horizon - 1, u64 seed. The races below were found by schedule_explore (ci/schedule_seeds.sh
# prints them; rerun it after moving a scheduling point, since the decisions count points); the
# zeros after their decisions keep the enumeration's "no more preemptions".
SCHED_OPS = {"logoff": 0, "lookup": 1, "logon-private": 2, "join": 3, "logon-shared": 4}
SCHED_SHARED = {"first": 0, "none": 1, "all": 2, "every2": 3}


def sched(threads, pre=1, shared="first", choices=None, pct=None):
    """threads: per thread a list of (op, handle); choices: the options taken, then eight zeros;
    pct: (depth, horizon, seed)."""
    cfg = (len(threads) - 2) | (pre - 1) << 2 | SCHED_SHARED[shared] << 4 | (0x80 if pct else 0)
    data = u8(cfg)
    masks = {"first": 0x1, "none": 0x0, "all": 0xF, "every2": 0x5}
    facts = [fact("program", threads=len(threads), pre=pre, shared=fmt_hex(masks[shared]))]
    for t, steps in enumerate(threads):
        data += u8(len(steps) - 1)
        for op, handle in steps:
            data += u8(SCHED_OPS[op] | handle << 3)
            facts.append(fact("step", thread=t, op=op, handle=handle))
    if pct:
        depth, horizon, seed = pct
        data += u8(depth - 1) + u8(horizon - 1) + u64(seed)
        facts.append(fact("pct", depth=depth, horizon=horizon, seed=fmt_hex(seed)))
    else:
        taken = list(choices) + [0] * 8 if choices is not None else []
        data += bytes(taken)
        facts.append(fact("bytes", decisions=len(taken),
                          choices=",".join(map(str, taken)) if taken else "-"))
    return Enc(data, facts)


LOGOFF_0 = ("logoff", 0)
LOOKUP_0 = ("lookup", 0)
SCHEDULE = {
    # F8 under round robin: two logoffs of the one shared handle (the all-zero input).
    "two-logoffs-round-robin": Enc(b"", sched([[LOGOFF_0], [LOGOFF_0]]).facts),
    # Planted bug 08: both logoffs pass the check before either takes the lock.
    "logoffs-both-pass-the-check": sched([[LOGOFF_0, LOGOFF_0], [LOGOFF_0, LOGOFF_0]],
                                         choices=[0, 0, 0, 0, 0, 1]),
    # Planted bug 11: a lookup between its handle check and its payload copy while the session ends.
    "lookup-meets-the-free": sched([[LOOKUP_0, LOGOFF_0], [LOGOFF_0, LOGOFF_0]], choices=[0, 1]),
    # Planted bug 20: between a lookup's check of a shared handle and its read of the shared id,
    # that handle is logged off and a new shared session opens.
    "lookup-meets-slot-reuse": sched([[LOGOFF_0, ("logon-shared", 0)], [LOOKUP_0, LOGOFF_0]],
                                     choices=[0, 0, 0, 0, 1, 0, 1]),
    # Planted bug 21: a join attaches to the shared session while its last handle is logged off.
    "join-meets-the-last-logoff": sched([[("join", 0), LOGOFF_0], [LOGOFF_0, LOGOFF_0]],
                                        choices=[1]),
    # Wider programs under round robin and PCT.
    "four-threads-churn-round-robin": sched(
        [[LOGOFF_0, ("logon-shared", 0), LOOKUP_0], [("join", 0), ("logoff", 1), LOOKUP_0],
         [LOOKUP_0, ("logon-private", 0), ("logoff", 3)], [("logoff", 1), ("join", 0), LOOKUP_0]],
        pre=4, shared="every2"),
    "three-threads-pct-depth-3": sched(
        [[LOGOFF_0, ("logon-private", 0), ("lookup", 2)], [LOOKUP_0, ("logoff", 1)],
         [("join", 0), ("logoff", 2), ("logon-shared", 0)]], pre=2, pct=(3, 40, 7)),
    "two-threads-pct-depth-2": sched(
        [[("logon-shared", 0), ("logoff", 1)], [LOGOFF_0, ("join", 0), ("lookup", 1)]],
        pct=(2, 20, 1)),
}

# --- mapi_abi_fuzzer: the exported entry points on the process-wide provider -------------------

ABI_PROFILE = {None: 0, "default": 1, "Default": 3}
ABI_PASSWORD = {None: 0, "": 1}


def abi_string(value, kinds):
    if value in kinds:
        return u8(kinds[value])
    data = value.encode()
    return u8(2) + u8(len(data)) + data


def abi_shown(value):
    return "NULL" if value is None else fmt_str(value.encode())


def abi_logon(prof=None, pw=None, flags=0, reserved=0, null_out=False, window=0):
    data = (u8(0) + abi_string(prof, ABI_PROFILE) + abi_string(pw, ABI_PASSWORD) + u32(flags) +
            u32(reserved) + u8(1 if null_out else 0) + u64(window))
    return Enc(data, [fact("logon", flags=fmt_flags(flags), reserved=fmt_hex(reserved),
                           out="NULL" if null_out else "&h", profile=abi_shown(prof),
                           password=abi_shown(pw), ui=fmt_hex(window), reply="none")])


def abi_logoff(base="live", which=0, mask=0, flags=0, reserved=0, window=0):
    bases = {"live": 0, "dead": 1, "zero": 2, "raw": 3}
    data = (u8(1) + u8(bases[base]) + u8(which) + u64(mask) + u32(flags) + u32(reserved) +
            u64(window))
    return Enc(data, [fact("logoff", base=base, which=which, mask=fmt_hex(mask),
                           flags=fmt_flags(flags), reserved=fmt_hex(reserved),
                           ui=fmt_hex(window))])


ABI = {
    # N7, F5: a private session on the default profile, logged off; then F3c, logged off again.
    "private-logon-logoff-twice": abi_logon(flags=0x2) + abi_logoff() + abi_logoff("dead"),
    # N16, N5, F7: the shared session, joined with a NULL profile, ended by its last handle.
    "shared-join-and-leave": abi_logon("default") + abi_logon() + abi_logoff(which=1) +
    abi_logoff() + abi_logon(),
    # N6: asking for a shared session when there is none.
    "null-profile-no-shared-session": abi_logon(),
    # N1-N4: argument checks, *lplhSession untouched.
    "logon-bad-arguments": abi_logon(flags=0x2, null_out=True) + abi_logon(flags=0x2, reserved=1) +
    abi_logon(flags=0x8) + abi_logon(flags=0x20001),
    # N8, N13, N9: bad credentials; the headless host shows no dialog.
    "bad-credentials-headless": abi_logon("Default", flags=0x2) + abi_logon("default", "pw") +
    abi_logon("nobody", flags=0x1) + abi_logon("default", "x", flags=0x20000) +
    abi_logon(None, "x", flags=0x3),
    # N20: MAPI_FORCE_DOWNLOAD accepted; LOGON_UI with a NULL profile opens the shared session.
    "force-download-and-logon-ui": abi_logon(flags=0x1000) + abi_logon(None, None, flags=0x1) +
    abi_logoff() + abi_logoff(),
    # F1, F2, F6 on a live handle, then its one good logoff with a wide window handle.
    "logoff-flags-reserved-window": abi_logon(flags=0x2) + abi_logoff(flags=1) +
    abi_logoff(reserved=0x80000000) + abi_logoff(window=0xFFFFFFFF00001234),
    # F3a, F3e, F3f: zero, a bit flipped, the high half cut off.
    "logoff-zero-flipped-truncated": abi_logon(flags=0x2) + abi_logoff("zero") +
    abi_logoff(mask=1 << 63) + abi_logoff(mask=0xFFFFFFFF00000000) + abi_logoff("raw", mask=1),
}

# --- provider_fuzzer: any provider by path, through its two C functions ------------------------
# Logon: u8 0, u8 profile, u8 password, flags_byte, u8 window index. Logoff: u8 1, u8 base,
# u8 which, [u64 raw value], u8 mutation, [u8 operand], u8 flags nibble | reserved nibble << 4,
# u8 window index. The provider is told "default" with the empty password.
P_PROFILE = {None: 0, "known": 1, "unknown": 2, "other-case": 3}
P_PASSWORD = {None: 0, "known": 1, "longer": 2, "prefix": 3, "empty": 4}
P_BASE = {"live": 0, "dead": 1, "zero": 2, "raw": 3}
P_MUTATION = {"none": 0, "flip": 1, "cut32": 2, "swap": 3, "add": 4}


def p_logon(prof="known", pw="known", window=0, **flags):
    data = (u8(0) + u8(P_PROFILE[prof]) + u8(P_PASSWORD[pw]) + flags_byte(**flags) +
            u8(WINDOW_PARAMS.index(window)))
    value = sum(v for name, v in FLAG_VALUES.items() if flags.get(name))
    return Enc(data, [fact("logon", profile=prof or "NULL", password=pw or "NULL",
                           flags=fmt_flags(value), reserved=fmt_hex(1 if flags.get("reserved")
                                                                    else 0),
                           out="NULL" if flags.get("null_out") else "&h",
                           ui=fmt_hex(window))])


def p_logoff(base="live", which=0, raw_value=None, mutation="none", operand=None, flags=0,
             reserved=0, window=0):
    """flags and reserved are nibbles: indices into fuzz_input.cc's logoff tables."""
    data = u8(1) + u8(P_BASE[base]) + u8(which)
    if base == "raw":
        data += u64(raw_value)
    data += u8(P_MUTATION[mutation])
    if mutation in ("flip", "add"):
        data += u8(operand)
    data += u8(flags | reserved << 4) + u8(WINDOW_PARAMS.index(window))
    shown_operand = raw_value if base == "raw" else operand or 0
    return Enc(data, [fact("logoff", base=base, which=which, mutation=mutation,
                           operand=fmt_hex(shown_operand), flags=fmt_flags(LOGOFF_FLAGS[flags]),
                           reserved=fmt_hex(logoff_reserved(reserved)), ui=fmt_hex(window))])


PROVIDER = {
    # N16, F5, F7: the shared session, ended by its only handle; the hand-back then finds none.
    # Against tests/providers' toy that keeps its shared session, the hand-back fails (ctest).
    "shared-logon-logoff": p_logon() + p_logoff(),
    # F3a on a provider no input has touched: libFuzzer replays the smallest file first (after the
    # empty input, which makes no call), so slot 0 has never held a session here.
    "zero-handle-first": p_logoff("zero"),
    # N5, F7: a handle that joined by NULL profile keeps the session after the named ones end.
    "null-join-outlives-named-handles": p_logon() + p_logon() + p_logon(None, None) +
    p_logoff(which=1) + p_logoff(which=0) + p_logon(None, None),
    # N17, N5, N14, H5: private and shared sessions, joined by NULL profile and by name.
    "private-shared-and-joins": p_logon(new=True) + p_logon() + p_logon(None, None) +
    p_logon() + p_logoff(which=1) + p_logoff(which=0),
    # F3c, F3a, F3b: logged off twice, zero, a raw never-issued value.
    "dead-zero-raw": p_logon(new=True) + p_logoff() + p_logoff("dead") + p_logoff("zero") +
    p_logoff("raw", raw_value=0xDEADBEEF),
    # F3e, F3f: a bit flipped, cut to 32 bits, halves swapped, plus one, on live handles.
    "mutated-live-handles": p_logon() + p_logon(new=True) + p_logoff(mutation="flip", operand=63) +
    p_logoff(which=1, mutation="cut32") + p_logoff(mutation="swap") +
    p_logoff(which=1, mutation="add", operand=1),
    # F1, F2, F6: flags, reserved, and a window handle wider than 32 bits on a live handle.
    "logoff-flags-reserved-window": p_logon(new=True) + p_logoff(flags=1) + p_logoff(reserved=1) +
    p_logoff(window=0xA5A5A5A5DEADBEEF),
    # N1-N4, N22: bad arguments with good credentials, *lplhSession untouched.
    "logon-bad-arguments": p_logon(null_out=True) + p_logon(reserved=True) +
    p_logon(dialog=True) + p_logon(top=True) + p_logon(logon_ui=True, password_ui=True),
    # N6, N7, N8, N9, N13: NULL profile without a shared session, bad credentials, headless UI.
    "credentials": p_logon(None, None) + p_logon(None, "known", new=True) +
    p_logon("unknown") + p_logon("other-case") + p_logon(pw="longer") + p_logon(pw="prefix") +
    p_logon("unknown", password_ui=True) + p_logon(pw="longer", logon_ui=True),
    # N20: MAPI_FORCE_DOWNLOAD, shared and private.
    "force-download": p_logon(force=True) + p_logon(force=True, new=True) + p_logoff(),
}


# --- teardown_fuzzer: the process-wide provider's teardown raced by a thread -------------------
# u8 setup (bit 0: alice logs on first and stays; bits 1-3: main-thread operations before the
# teardown), then operations dealt alternately to the main thread and the worker.
TEARDOWN_OPS = {"private": 0, "join": 1, "logoff": 2, "shared": 3}


def teardown(alice=False, before=0, main=(), worker=()):
    """`main`/`worker`: ("private" | "join" | "shared" | ("logoff", which)) operations."""
    def op(o):
        if isinstance(o, tuple):
            return TEARDOWN_OPS[o[0]] | o[1] << 2
        return TEARDOWN_OPS[o]

    def op_fact(thread, o):
        if isinstance(o, tuple):
            return fact("op", thread=thread, op=o[0], which=o[1])
        return fact("op", thread=thread, op=o)
    data = u8((1 if alice else 0) | before << 1)
    for k in range(max(len(main), len(worker))):
        data += u8(op(main[k]) if k < len(main) else op("private"))
        if k < len(worker) or k + 1 < len(main):
            data += u8(op(worker[k]) if k < len(worker) else op("private"))
    facts = [fact("teardown", alice=1 if alice else 0, before=before)]
    facts += [op_fact("main", o) for o in main] + [op_fact("worker", o) for o in worker]
    return Enc(data, facts)


TEARDOWN = {
    # P1: an immediate teardown; every call after it fails, and the worker's calls race it.
    "teardown-at-once": Enc(b"", [fact("teardown", alice=0, before=0)]),
    # P3: alice's session is still open at the teardown; her password must be wiped.
    "open-session-wiped-at-teardown": teardown(alice=True, before=2, main=["private", "shared"],
                                               worker=["private", "join"]),
    # P1/P2: the worker logs on and off throughout while the main thread tears down midway.
    "worker-churns-through-teardown": teardown(
        before=3, main=["private", "shared", ("logoff", 0), "private", "join", ("logoff", 0)],
        worker=["private", ("logoff", 0), "shared", "join", ("logoff", 0), ("logoff", 1),
                "private", ("logoff", 0)]),
    # P1: before the teardown only the contract's own codes: a join with no shared session is
    # MAPI_E_LOGIN_FAILURE, and a join onto one hands back a real handle.
    "join-with-no-shared-session-before-teardown": teardown(before=1, main=["join"]),
    "join-before-teardown": teardown(before=2, main=["shared", "join"]),
    # After the teardown, a logoff of a live handle and of an ended one both fail.
    "logoff-after-teardown": teardown(alice=True, before=2, main=["private", ("logoff", 0),
                                                                  ("logoff", 0), ("logoff", 1)]),
}

TARGETS = {
    "logoff_fuzzer": LOGOFF,
    "logon_fuzzer": LOGON,
    "session_fuzzer": SESSION,
    "oom_fuzzer": OOM,
    "concurrent_fuzzer": CONCURRENT,
    "schedule_fuzzer": SCHEDULE,
    "mapi_abi_fuzzer": ABI,
    "provider_fuzzer": PROVIDER,
    "teardown_fuzzer": TEARDOWN,
}

HASH_NAME = re.compile(r"^[0-9a-f]{40}$")


def max_len(target):
    """The max_len of fuzzers/<target>.options."""
    with open(os.path.join(ROOT, "fuzzers", target + ".options")) as options:
        for line in options:
            key, _, value = line.partition("=")
            if key.strip() == "max_len":
                return int(value)
    return None


def describe(binary, path):
    """The lines the target's describe mode prints for one input file, split into fields."""
    env = dict(os.environ, SMAPI_DESCRIBE="1")
    run = subprocess.run([binary, path], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, check=False)
    lines = run.stdout.decode("latin-1").splitlines()
    return [line.split(" ") for line in lines if line and not line.startswith("standalone driver:")]


def disagreement(facts, lines):
    """The first fact no line (after the previous fact's) bears out, or None."""
    at = 0
    for expected in facts:
        while at < len(lines) and not (lines[at][0] == expected[0] and
                                       set(expected[1:]) <= set(lines[at][1:])):
            at += 1
        if at == len(lines):
            return expected
        at += 1
    return None


def check_descriptions(build):
    """Every seed's description against its target's describe mode; the number that disagree."""
    bad = 0
    for target, seeds in TARGETS.items():
        binary = os.path.join(build, "fuzzers", target)
        if not os.access(binary, os.X_OK):
            print(f"no {binary}: build the fuzz targets first", file=sys.stderr)
            return 1
        for name, data in seeds.items():
            facts = getattr(data, "facts", ())
            assert facts, f"{target}/{name} has no description"
            lines = describe(binary, os.path.join(CORPUS, target, name))
            missing = disagreement(facts, lines)
            if missing is None:
                continue
            bad += 1
            print(f"{target}/{name}: the description says\n    {' '.join(missing)}\n"
                  "  but the bytes decode to", file=sys.stderr)
            for line in lines:
                print("    " + " ".join(line), file=sys.stderr)
    return bad


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only check corpus/ is up to date and every seed decodes as described")
    parser.add_argument("--build", help="the build folder whose fuzz targets describe the seeds")
    args = parser.parse_args()
    stale = []
    for target, seeds in TARGETS.items():
        folder = os.path.join(CORPUS, target)
        os.makedirs(folder, exist_ok=True)
        limit = max_len(target)
        for name, data in seeds.items():
            assert limit is None or len(data) <= limit, f"{target}/{name} is over max_len {limit}"
            path = os.path.join(folder, name)
            current = open(path, "rb").read() if os.path.exists(path) else None
            if current == data:
                continue
            stale.append(path)
            if not args.check:
                with open(path, "wb") as out:
                    out.write(data)
        for name in os.listdir(folder):
            path = os.path.join(folder, name)
            if os.path.isfile(path) and name not in seeds and not HASH_NAME.match(name):
                stale.append(path)
                if not args.check:
                    os.remove(path)
    if args.check and stale:
        print("out of date (run fuzzers/make_seeds.py):", *stale, sep="\n  ", file=sys.stderr)
        return 1
    for path in stale:
        print("wrote" if os.path.exists(path) else "removed", os.path.relpath(path, ROOT))
    if args.check:
        build = args.build or next((os.path.join(ROOT, "build", preset)
                                    for preset in ("default", "asan")
                                    if os.path.isdir(os.path.join(ROOT, "build", preset))), None)
        if build is None:
            print("no build folder: pass --build DIR", file=sys.stderr)
            return 1
        bad = check_descriptions(build)
        if bad:
            print(f"{bad} seed(s) do not decode to what their description says", file=sys.stderr)
            return 1
        count = sum(len(seeds) for seeds in TARGETS.values())
        print(f"corpus/ is up to date; all {count} seeds decode to what their descriptions say")
    return 0


if __name__ == "__main__":
    sys.exit(main())
