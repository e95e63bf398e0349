"""Third-party browser builds Tandem serves itself (GraphiQL and its React), so the pages work
without the internet. Kept out of ``app/``: it is vendored, minified code, pinned and checksummed
by ``graphiql/manifest.json``, not ours to edit; the wheel ships it as package data."""
