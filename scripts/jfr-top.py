#!/usr/bin/env python3
"""Methods by share of a thread group's CPU samples, from `jfr print --json --stack-depth 1024 --events
jdk.ExecutionSample` output (scripts/profile-vreads.sh writes one).

    scripts/jfr-top.py FILE.json THREAD_REGEX [N] [FOCUS_METHOD_REGEX]

Prints the samples per thread group (digits in thread names folded), then for the threads matching THREAD_REGEX
the N methods most often on the stack (inclusive) and on top of it (self). With FOCUS_METHOD_REGEX only the
samples under such a method count, and the shares are of those samples."""
import collections
import json
import re
import sys

data = json.load(open(sys.argv[1]))
thread = re.compile(sys.argv[2])
top = int(sys.argv[3]) if len(sys.argv) > 3 else 40
focus = re.compile(sys.argv[4]) if len(sys.argv) > 4 else None
inclusive, self_time, groups = collections.Counter(), collections.Counter(), collections.Counter()
total = 0
for event in data["recording"]["events"]:
    values = event["values"]
    sampled = values.get("sampledThread") or {}
    name = sampled.get("javaName") or sampled.get("osName") or "?"
    groups[re.sub(r"\d+", "#", name)] += 1
    if not thread.search(name):
        continue
    frames = [f["method"]["type"]["name"].split("/")[-1] + "." + f["method"]["name"]
              for f in values["stackTrace"]["frames"]]
    if focus:
        hits = [i for i, frame in enumerate(frames) if focus.search(frame)]
        if not hits:
            continue
        frames = frames[: hits[-1] + 1]
    total += 1
    self_time[frames[0]] += 1
    for frame in set(frames):
        inclusive[frame] += 1
print("samples by thread group:", ", ".join(f"{g} {n}" for g, n in groups.most_common(12)))
print(f"{total} samples in threads matching {thread.pattern}")
if top and total:
    print("--- on the stack")
    for frame, n in inclusive.most_common(top):
        print(f"{100 * n / total:5.1f}% {frame}")
    print("--- on top")
    for frame, n in self_time.most_common(min(top, 25)):
        print(f"{100 * n / total:5.1f}% {frame}")
