"""`python -m spec.upgrade <release>`: the spec on another TensorFlow release or tf-nightly (spec/upgrade/recipe.py)."""
import sys

from spec.upgrade.recipe import main

sys.exit(main())
