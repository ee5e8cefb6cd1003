from smoke.cli import main

if __name__ == "__main__":  # not again in scoring's worker processes (spawned: they import this module)
    main()
