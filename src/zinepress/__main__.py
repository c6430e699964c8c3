from zinepress.cli import run

run()
