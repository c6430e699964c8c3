"""nox sessions: each only calls the zinepress CLI or pytest."""

import hashlib
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["build"]

SEED = "seeds/aint-no-pc-gonna-fix-it-baby.txt"
MANUSCRIPT = "book/aint-no-pc-gonna-fix-it-baby.md"


LOCK = "requirements.lock"


def _install(session: nox.Session, *requirements: str) -> None:
    """Install at the locked versions, once per virtualenv, pyproject.toml and lock file."""
    inputs = Path("pyproject.toml").read_bytes() + Path(LOCK).read_bytes()
    digest = hashlib.sha256(inputs + " ".join(requirements).encode()).hexdigest()
    stamp = Path(session.virtualenv.location) / ".zinepress-installed"
    if stamp.is_file() and stamp.read_text() == digest:
        return
    session.install("-c", LOCK, *requirements)
    stamp.write_text(digest)


@nox.session
def build(session: nox.Session) -> None:
    """Build every edition of book/ into build/ (pass --watch, --force, --only ...)."""
    _install(session, "-e", ".")
    session.run("zinepress", "build", "book", "--out", "build", *session.posargs)


@nox.session
def restore(session: nox.Session) -> None:
    """Restore the seed text into the manuscript (refuses to overwrite human edits)."""
    _install(session, "-e", ".")
    session.run("zinepress", "restore", SEED, "-o", MANUSCRIPT, "--report",
                "build/restore-report.md", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite, with EPUBCheck and real PDFs read back."""
    _install(session, "-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session(name="restore-score")
def restore_score(session: nox.Session) -> None:
    """Restore on the corpus (tests/corpus): every text in every page style, scored; then the
    held-out texts. Pass --why --only TEXT/STYLE to see each error, --ratchet to record."""
    _install(session, "-e", ".")
    session.run("python", "tests/corpus", "--holdout", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    _install(session, "ruff")
    session.run("ruff", "check", "src", "tests", "bench", "noxfile.py")


@nox.session
def bench(session: nox.Session) -> None:
    """Timings and peak memory of every stage; medians over several runs (--json FILE)."""
    _install(session, "-e", ".[bench]")
    session.run("python", "bench/run.py", *session.posargs)


@nox.session
def proof(session: nox.Session) -> None:
    """PNG proofs of chosen pages of the digest PDF in build/proof/ (needs pdftoppm)."""
    _install(session, "-e", ".")
    session.run("zinepress", "build", "book", "--out", "build", "--only", "pdf")
    session.run("python", "bench/proof.py", "build/aint-no-pc-gonna-fix-it-baby.pdf",
                "build/proof", *session.posargs)
