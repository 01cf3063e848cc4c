"""The command line: argparse, colour and progress bars over the public API."""
