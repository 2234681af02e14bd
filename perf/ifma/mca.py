#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""perf/ifma/mca.py - the loop cutting and llvm-mca runs behind perf/ifma/mca.sh (see there).

  mca.py MCA MCPU OUTDIR FILE.s...

Nothing about the kernel's functions is known here beyond their naming: every symbol of type @function named
ifma_* (except *_prim, the primitive test hook) is examined.
- A loop is a backward branch to a label inside the function: lines label..branch (several back-branches to one
  label make one loop, ending at the last).
- The function's IFMA loops are the loops holding vpmadd52luq/huq that contain no other loop holding any (an outer
  loop around a non-IFMA inner loop still counts, its inner loop then taken once). Each is cut out (instructions
  only: labels, directives and comments dropped) and run with -iterations=500: cycles/iter = Total Cycles / 500.
- A function with IFMA but no IFMA loop is loop-free (fully unrolled): its whole body, label to end, is run with
  -iterations=20, and cycles/iter is cycles per call.
- Width: zmm if the region's IFMA use zmm registers, else ymm (else xmm); K_V = ceil(N / lanes) accumulator
  vectors per number, N from the _n<N>_ in the name. IFMA/vec = IFMA per iteration / K_V. For the word-serial
  Montgomery functions (name ending amm2, amm1, redc2, redc1) one limb step is 8, 4, 4, 2 IFMA/vec, which names
  what an iteration (or a loop-free call) is, with cycles per step when that is not 1; otherwise the IFMA/vec
  column says it (see mca.sh).
"""
import math
import os
import re
import subprocess
import sys

IFMA = re.compile(r"^\s*vpmadd52[lh]uq\b")
LABEL = re.compile(r"^([.\w$]+):")
BRANCH = re.compile(r"^\s*j[a-z]+\s+([.\w$]+)\s*(#.*)?$")  # any jump to a plain label
TYPE_FN = re.compile(r"^\s*\.type\s+([.\w$]+)\s*,\s*@function")
STEP_PER_VEC = {"amm2": 8, "amm1": 4, "redc2": 4, "redc1": 2}
LANES = {"zmm": 8, "ymm": 4, "xmm": 2}
LOOP_ITERS, BODY_ITERS = 500, 20


def functions(lines):
    for name in [m.group(1) for m in map(TYPE_FN.match, lines) if m]:
        if not name.startswith("ifma_") or name.endswith("_prim"):
            continue
        start = next((i for i, l in enumerate(lines) if l.startswith(name + ":")), None)
        if start is None:
            continue
        end = start + 1
        while end < len(lines):
            s = lines[end].strip()
            if s.startswith(".Lfunc_end") or s.startswith(".size") or s.startswith(".cfi_endproc") \
                    or TYPE_FN.match(lines[end]):
                break
            end += 1
        yield name, start, end


def ifma_lines(lines, a, b):
    return [lines[i] for i in range(a, b) if IFMA.match(lines[i])]


def ifma_loops(lines, start, end):
    labels = {}
    for i in range(start, end):
        m = LABEL.match(lines[i])
        if m:
            labels[m.group(1)] = i
    last = {}
    for i in range(start, end):
        m = BRANCH.match(lines[i])
        if m and m.group(1) in labels and labels[m.group(1)] <= i:
            last[labels[m.group(1)]] = i
    spans = [(a, b + 1) for a, b in sorted(last.items()) if ifma_lines(lines, a, b + 1)]
    return [(a, b) for (a, b) in spans if not any(a <= c and d <= b and (c, d) != (a, b) for (c, d) in spans)]


def instructions(lines, a, b):
    out = []
    for l in lines[a:b]:
        s = l.strip()
        if not s or s[0] in "#.;" or s.startswith("//") or LABEL.match(s):
            continue
        out.append("\t" + l.split("#", 1)[0].strip())  # '#' starts a comment in AT&T syntax
    return out


def mca(binary, mcpu, path, iters):
    p = subprocess.run([binary, "-mtriple=x86_64-unknown-linux-gnu", "-mcpu=" + mcpu, "-iterations=%d" % iters,
                        path], capture_output=True, text=True)
    m = re.search(r"^Total Cycles:\s+(\d+)", p.stdout, re.M)
    if p.returncode or not m:
        sys.exit("llvm-mca failed on %s:\n%s" % (path, p.stderr.strip()))
    return int(m.group(1)) / iters


def width_of(ifma):
    for w in ("zmm", "ymm", "xmm"):
        if any("%" + w in l for l in ifma):
            return w
    return "?"


def main():
    binary, mcpu, outdir, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    fmt = "%-26s %-5s %-9s %9s %8s %11s %10s  %s"
    print(fmt % ("function", "width", "region", "IFMA/iter", "IFMA/vec", "cycles/iter", "IFMA/cycle", "iteration"))
    no_ifma = []
    for path in files:
        with open(path) as f:
            lines = f.read().split("\n")
        for name, start, end in sorted(functions(lines)):
            loops = ifma_loops(lines, start, end)
            # hottest first (most IFMA per iteration), then in source order
            loops.sort(key=lambda s: (-len(ifma_lines(lines, *s)), s[0]))
            regions = [("loop %d/%d" % (k + 1, len(loops)), a, b, LOOP_ITERS) for k, (a, b) in enumerate(loops)]
            if not regions and ifma_lines(lines, start, end):
                regions = [("body", start, end, BODY_ITERS)]
            if not regions:
                no_ifma.append(name)
                continue
            for k, (region, a, b, iters) in enumerate(regions):
                ifma = ifma_lines(lines, a, b)
                width = width_of(ifma)
                cut = os.path.join(outdir, "%s.%d.s" % (name, k + 1))
                with open(cut, "w") as f:
                    f.write("\n".join(instructions(lines, a, b)) + "\n")
                cycles = mca(binary, mcpu, cut, iters)
                n = re.search(r"_n(\d+)_", name)
                per_vec = len(ifma) / math.ceil(int(n.group(1)) / LANES[width]) if n and width in LANES else None
                what = "whole call" if region == "body" else "-"
                if "_mb_" in name:  # multi-buffer kernel (vertical: no accumulator vectors per number)
                    per_vec = None
                    what = "whole call, %d lanes" % LANES.get(width, 0) if region == "body" else "-"
                kind = name.rsplit("_", 1)[-1]
                if kind in STEP_PER_VEC and per_vec:
                    steps = per_vec / STEP_PER_VEC[kind]
                    what = "%g limb step%s" % (steps, "" if steps == 1 else "s")
                    if region == "body":
                        what = "whole call = " + what
                    if steps != 1:
                        what += ", %.2f cycles/step" % (cycles / steps)
                print(fmt % (name, width, region, len(ifma), "%.3g" % per_vec if per_vec else "-",
                             "%.2f" % cycles, "%.2f" % (len(ifma) / cycles), what))
    if no_ifma:
        print("no IFMA: " + " ".join(no_ifma))


if __name__ == "__main__":
    main()
