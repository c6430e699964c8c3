from zinepress.cli import main

raise SystemExit(main())
