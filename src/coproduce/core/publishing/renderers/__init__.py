"""Pure format renderers: they take the report model and write bytes, with no Django import."""
