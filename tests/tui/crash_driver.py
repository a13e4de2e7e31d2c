"""Runs interviews through the app's session layer (engine.sessions.ticket) so the crash test can kill
them: a parent loads the KB once, then forks one child per `run` command; the child resumes
the session (or starts it) and answers questions until it is killed with SIGKILL.

    crash_driver.py KB_DIR STORE          stdin: `run SESSION SEED LOG` | `wait PID` | `quit`

The child writes `try QUESTION VALUE` to LOG before each answer and `ack QUESTION VALUE` once
`TicketSession.answer` has returned with the write committed (`retry` / `ackretract` for
answers taken back). Lines go straight to the file with os.write: a kill never loses one that
was written. The parent answers each command with one line on stdout.
"""

import os
import random
import sys

from engine.inference.compiled import CompiledKB
from engine.inference.interview import normalise_answer
from engine.kb.loader import load_kb
from engine.sessions.ticket import StoreHandle, TicketSession

TICKET = "Calendar status gone for everyone; svc account Password=Hunter2-secret; since Monday"


def choices(question) -> list[str]:
    if question.type == "yes/no":
        return ["yes", "no", "unknown"]
    if question.type == "number":
        return ["5", "2001", "unknown"]
    if question.type == "text":
        return ["seen on every PC", "unknown"]
    return [c.value for c in question.choices] + ["unknown"]


def child(knowledge: CompiledKB, store: str, session_id: str, seed: int, log: str) -> None:
    rng = random.Random(seed)
    out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def note(line: str) -> None:
        os.write(out, (line + "\n").encode())

    handle = StoreHandle(store, timeout=10)
    if handle.get().get(session_id) is None:
        session, saved = TicketSession.start(knowledge, handle, session_id=session_id)
        assert saved.ok, saved.message
    else:
        session, _ = TicketSession.resume(knowledge, handle, session_id)
    if not session.interview.text:
        session.set_text(TICKET)
    note("ready")
    questions = list(knowledge.kb.questions)
    while True:
        if session.interview.answers and rng.random() < 0.15:
            qid = rng.choice(list(session.interview.answers))
            note(f"tryretract {qid}")
            if session.retract(qid).ok:
                note(f"ackretract {qid}")
            continue
        question = rng.choice(questions)
        value = normalise_answer(question, rng.choice(choices(question)))
        note(f"try {question.id} {value}")
        stored, saved = session.answer(question.id, value)
        if saved.ok:
            note(f"ack {question.id} {stored}")


def main() -> None:
    kb_dir, store = sys.argv[1], sys.argv[2]
    knowledge = CompiledKB(load_kb(kb_dir).kb)
    print("ready", flush=True)
    for line in sys.stdin:
        command, *args = line.split()
        if command == "run":
            session_id, seed, log = args[0], int(args[1]), args[2]
            pid = os.fork()
            if pid == 0:                      # the child: no store connection was inherited
                try:
                    child(knowledge, store, session_id, seed, log)
                finally:
                    os._exit(1)
            print(f"pid {pid}", flush=True)
        elif command == "wait":
            _, status = os.waitpid(int(args[0]), 0)
            print(f"status {status}", flush=True)
        elif command == "quit":
            break


if __name__ == "__main__":
    main()
