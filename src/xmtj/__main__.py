from xmtj.cli import main

main()
