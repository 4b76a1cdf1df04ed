#!/usr/bin/env python
"""Django's command-line utility; `mapro` is the same thing, installed as a script."""

from mapro.cli import main

if __name__ == "__main__":
    main()
