from wrapped.cli.main import main

main()
