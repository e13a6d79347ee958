"""Live explorers (ipywidgets), one module per modelling chapter.

Each explorer re-runs the chapter's model on every change of a control. They need a running
kernel (Jupyter, Voila); the static book shows precomputed sliders instead and never includes
widget scripts.
"""
