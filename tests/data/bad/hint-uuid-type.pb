

xPlaceholder
-
hIdentityx*
_tflite_function_uuid