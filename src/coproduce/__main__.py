from coproduce.cli import main

main()
