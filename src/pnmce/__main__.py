from pnmce.cli import main

main()
