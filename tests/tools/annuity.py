"""Independent annuity figures for tests/schedule_numpy.rs.

Reads cases [{"principal": "10000", "rate_annual": "0.12", "months": 12}, ...]
as JSON on stdin and prints, per case, numpy-financial's pmt rounded half-up to
the fen, its ipmt/ppmt per period (floats), and the schedule of DOMAIN.md §4
computed here with Python's decimal module from that payment.
"""
import json
import sys
from decimal import ROUND_HALF_UP, Decimal

import numpy_financial as npf

FEN = Decimal("0.01")


def fen(x):
    return Decimal(x).quantize(FEN, rounding=ROUND_HALF_UP)


def case(c):
    p = Decimal(c["principal"])
    r = Decimal(c["rate_annual"]) / 12
    n = c["months"]
    pmt = fen(repr(float(-npf.pmt(float(r), n, float(p)))))
    periods = range(1, n + 1)
    ipmt = [float(-npf.ipmt(float(r), k, n, float(p))) for k in periods]
    ppmt = [float(-npf.ppmt(float(r), k, n, float(p))) for k in periods]
    outstanding = p
    schedule = []
    for k in periods:
        fee = fen(outstanding * r)
        principal = outstanding if k == n else pmt - fee
        outstanding -= principal
        schedule.append({"fee": str(fee), "principal": str(principal)})
    return {"payment": str(pmt), "ipmt": ipmt, "ppmt": ppmt, "schedule": schedule}


print(json.dumps([case(c) for c in json.load(sys.stdin)]))
