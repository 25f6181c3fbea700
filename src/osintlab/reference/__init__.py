"""Reference data and codecs that every layer may use; imports nothing else of osintlab."""
