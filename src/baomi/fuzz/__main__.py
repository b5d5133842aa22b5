import sys

from baomi.fuzz.run import main

sys.exit(main())
