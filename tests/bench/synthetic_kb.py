"""A realistic synthetic KB, generated in memory (pydantic models, no markdown): products ×
entries, per product a symptom question and detail questions, rules in the shape the real KB
uses (`product is pX; pX.symptom is sY; any of: ...; none of: ...`), derived facts that chain
(per product, and one concluded from several products), a few signatures.

Used by the benchmarks (tests/bench/bench_inference.py) and by tests/test_rules_engine.py
(the partitioned rule engine). Deterministic for a given seed.
"""

from __future__ import annotations

import random

from engine.kb.models import (
    Atom,
    Choice,
    DerivedRule,
    Entry,
    FactSetting,
    Group,
    KnowledgeBase,
    Question,
    Signature,
)

WORDS = ("mailbox database transport queue outlook autodiscover certificate connector smtp "
         "imap pop3 ews calendar presence gateway replication dag cluster index search "
         "throttling policy mapi session login password expired trust chain dns record "
         "firewall port latency backlog journaling retention archive quota move migration "
         "federation free busy delegate permission shared room booking sync mobile device "
         "activesync owa proxy redirect loop timeout disconnect crash event service restart "
         "license upgrade cumulative update schema attribute address list offline book").split()


def _atom(fact: str, op: str, *values: str) -> Atom:
    return Atom(fact=fact, op=op, values=tuple(values))


def _group(op: str, *items, count: int | None = None) -> Group:
    return Group(op=op, items=tuple(items), count=count)


def synthetic_kb(products: int = 40, per_product: int = 250, symptoms: int = 10,
                 details: int = 25, seed: int = 1) -> KnowledgeBase:
    """`products * per_product` diagnoses (a few procedures without a rule among them)."""
    rng = random.Random(seed)
    questions: list[Question] = []
    entries: list[Entry] = []
    derived: list[DerivedRule] = []
    signatures: list[Signature] = []
    names = [f"p{i + 1}" for i in range(products)]

    def question(qid: str, qtype: str, text: str, choices=(), ask_when=None) -> Question:
        q = Question(id=qid, text=text, type=qtype, path="bank/questions.md",
                     line=len(questions) + 1, ask_when=ask_when,
                     choices=tuple(Choice(value=c, label=c.replace("-", " ")) for c in choices))
        questions.append(q)
        return q

    question("product", "choice", "Which product is affected?", names)
    shared_inputs = []
    for p in names:
        is_p = _atom("product", "is", p)
        symptom_values = [f"s{j + 1}" for j in range(symptoms)]
        question(f"{p}.symptom", "choice", f"What does {p} show?", symptom_values, is_p)
        kinds = {}
        asked_for: dict[str, list[str]] = {s: [] for s in symptom_values}
        for k in range(details):
            qid = f"{p}.q{k + 1}"
            # a third of the details are asked for every symptom, the rest for three of them
            shown = symptom_values if k % 3 == 0 else rng.sample(symptom_values, 3)
            for symptom in shown:
                asked_for[symptom].append(qid)
            when = is_p if k % 3 == 0 else _group(
                "all", is_p, _atom(f"{p}.symptom", "one_of", *shown))
            if k % 4 == 3:
                kinds[qid] = ("a", "b", "c")
                question(qid, "choice", f"{p} detail {k + 1}?", ("a", "b", "c"), when)
            else:
                kinds[qid] = ("yes", "no")
                question(qid, "yes/no", f"{p} detail {k + 1}?", (), when)
        detail_ids = list(kinds)
        # derived facts: two per product, the second chained on the first
        d1, d2 = f"{p}.d1", f"{p}.d2"
        derived.append(DerivedRule(
            conclusion=FactSetting(fact=d1, value="yes", line=1), path="bank/derived.md", line=1,
            condition=_group("any", _atom(detail_ids[0], "is", "yes"),
                             _atom(detail_ids[1], "is", "no"))))
        derived.append(DerivedRule(
            conclusion=FactSetting(fact=d2, value="yes", line=1), path="bank/derived.md", line=1,
            condition=_group("all", _atom(d1, "is", "yes"),
                             _group("none", _atom(detail_ids[2], "is", "yes")))))
        shared_inputs.append(_atom(d2, "is", "yes"))
        signatures.append(Signature(
            id=f"sig-{p}-error", literal=f"{p.upper()}-ERR-0042", path="bank/signatures.md",
            line=len(signatures) + 1, examples=(f"ERROR {p.upper()}-ERR-0042 failed",),
            sets=(FactSetting(fact="product", value=p, line=1),
                  FactSetting(fact=detail_ids[0], value="yes", line=1))))
        taken: set = set()
        for j in range(per_product):
            eid = f"{p}-e{j + 1:04d}"
            words = rng.sample(WORDS, 5)
            if j % 50 == 49:          # a procedure: no rule
                entries.append(Entry(id=eid, title=f"How to {' '.join(words)} on {p}",
                                     kind="procedure", area="synthetic", products=(p,),
                                     source="synthetic", path=f"{eid}.md"))
                continue
            symptom = symptom_values[j % symptoms]
            variant = j % 6
            for _ in range(50):   # details that are asked for this symptom, a new combination
                a, b, c = rng.sample(asked_for[symptom], 3)
                va, vb, vc = (rng.choice(kinds[x]) for x in (a, b, c))
                if (variant, symptom, a, va, b, vb, c, vc) not in taken:
                    break
            taken.add((variant, symptom, a, va, b, vb, c, vc))
            items = [is_p, _atom(f"{p}.symptom", "is", symptom)]
            if variant == 0:
                items.append(_group("any", _atom(a, "is", va), _atom(b, "is", vb)))
            elif variant == 1:
                items += [_atom(a, "is", va), _atom(b, "is", vb)]
            elif variant == 2:
                items += [_atom(a, "is", va), _group("none", _atom(b, "is", vb),
                                                     _atom(c, "is", vc))]
            elif variant == 3:
                items += [_atom(d1 if j % 2 else d2, "is", "yes"), _atom(c, "is", vc)]
            elif variant == 4:
                items.append(_group("at_least", _atom(a, "is", va), _atom(b, "is", vb),
                                    _atom(c, "is", vc), count=2))
            else:
                items += [_atom(a, "one_of", *kinds[a][:2]), _atom(b, "is", vb),
                          _atom(c, "is", vc)]
            if j % 97 == 5:
                items.append(_atom("shared.degraded", "is", "yes"))
            entries.append(Entry(id=eid, title=f"{p} {' '.join(words)}", kind="diagnosis",
                                 area="synthetic", products=(p,), source="synthetic",
                                 path=f"{eid}.md", rule=_group("all", *items),
                                 symptoms=(f"{words[0]} {words[1]} fails",)))
    derived.append(DerivedRule(
        conclusion=FactSetting(fact="shared.degraded", value="yes", line=1),
        path="bank/derived.md", line=1, condition=_group("any", *shared_inputs[:8])))
    return KnowledgeBase(root="synthetic", entries=tuple(entries), questions=tuple(questions),
                         signatures=tuple(signatures), derived=tuple(derived))
