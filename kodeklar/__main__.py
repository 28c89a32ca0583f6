from kodeklar.cli import main

main()
