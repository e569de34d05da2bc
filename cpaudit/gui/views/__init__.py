# SPDX-License-Identifier: Apache-2.0
"""Painted views that make an audit's computed figures visible (GUI layer, QPainter only).

Each view takes the plain ``compute_figures`` result through ``set_figures``;
the figure pages (``pages/figure_pages.py``) show them above a step's form.
"""
