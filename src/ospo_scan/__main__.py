from ospo_scan.cli import main

main()
