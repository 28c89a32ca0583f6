"""The `kodeklar` command. Each subcommand lives in `kodeklar/commands/<name>.py` and is
registered here by name; heavy libraries are imported inside the commands, so that
`kodeklar --help` answers at once."""
from __future__ import annotations

import importlib
import os
import signal
import sys

import click

from kodeklar import __version__
from kodeklar.core.errors import UserError

# command name -> module in kodeklar.commands that defines `command`
COMMANDS = {
    "run": "run",
    "transcribe": "transcribe",
    "anonymise": "anonymise",
    "export": "export",
    "models": "models",
    "key": "key",
    "slurm": "slurm",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        module = COMMANDS.get(name)
        if module is None:
            return None
        try:
            return importlib.import_module(f"kodeklar.commands.{module}").command
        except ModuleNotFoundError as e:
            if e.name == f"kodeklar.commands.{module}":
                return None  # not built yet in this checkout
            raise


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kodeklar")
def cli():
    """Offline, anonymised, speaker-labelled transcripts of research recordings."""


def _terminate(signum, frame):
    # batch schedulers stop jobs with SIGTERM: unwind like Ctrl-C, so that the lock is
    # released and the private temporary folder removed
    raise SystemExit(143)


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    try:
        # standalone_mode=False returns a command's exit code instead of exiting
        rv = cli.main(standalone_mode=False)
    except click.exceptions.Abort as e:
        # click turns Ctrl-C inside a command into Abort; say which it was
        ctrl_c = isinstance(e.__cause__, KeyboardInterrupt)
        click.echo(f"kodeklar: {'interrupted' if ctrl_c else 'aborted'}", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except UserError as e:
        click.echo(f"kodeklar: error: {e}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("kodeklar: interrupted", err=True)
        sys.exit(130)
    except Exception as e:
        # a bug: its message or traceback may quote transcript text, so only the type is
        # shown unless the user asks for the details
        if os.environ.get("KODEKLAR_DEBUG"):
            raise
        click.echo(f"kodeklar: internal error ({type(e).__name__}); set KODEKLAR_DEBUG=1 "
                   f"to see the traceback", err=True)
        sys.exit(3)
    sys.exit(rv if isinstance(rv, int) else 0)
