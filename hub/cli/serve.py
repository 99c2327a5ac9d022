"""`hub serve`: the web front end over an existing instance."""

from __future__ import annotations

import click

from hub.cli.context import settings_of


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (keep 127.0.0.1 unless a proxy is in front).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Worker threads.")
@click.option("--debug", is_flag=True, help="Flask's development server with the debugger.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, threads: int, debug: bool) -> None:
    """Serve the hub with waitress (a production WSGI server) at http://HOST:PORT/."""
    # The CLI imports the web package only here, to serve it.
    from hub.web import create_app
    from hub.web.server import serve as serve_app

    app = create_app({"HUB_SETTINGS": settings_of(ctx)})
    click.echo(f"The hub is at http://{host}:{port}/  (Ctrl+C to stop)", err=True)
    if debug:
        app.run(host=host, port=port, debug=True, use_reloader=False)
    else:
        serve_app(app, host, port, threads)
