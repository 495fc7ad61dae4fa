from zhijiao.cli.main import app

app(prog_name="zhijiao")
