"""Groups of `hub` sub-commands, one module per area; hub.cli puts them together."""
